using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class ClearCatchUpOnMakeup(ContinuityPackages packages) : IConsumer<MakeupCompleted>
{
    public Task Consume(ConsumeContext<MakeupCompleted> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupCompleted), m.EventId, m.ClinicId, m.PatientId, m.MissedSessionId);
        return packages.ClearByMakeup(m, context.CancellationToken);
    }
}
