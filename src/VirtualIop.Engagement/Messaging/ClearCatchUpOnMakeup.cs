using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class ClearCatchUpOnMakeup(ContinuityPackages packages) : IConsumer<MakeupCompleted>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "ClearCatchUpOnMakeup";

    public Task Consume(ConsumeContext<MakeupCompleted> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupCompleted), m.EventId, m.ClinicId, m.PatientId, m.MissedSessionId);
        return packages.ClearByMakeup(m, InboxKey, context.CancellationToken);
    }
}
