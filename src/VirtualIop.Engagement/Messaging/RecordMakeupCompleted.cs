using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class RecordMakeupCompleted(Makeups makeups) : IConsumer<MakeupCompleted>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "RecordMakeupCompleted";

    public Task Consume(ConsumeContext<MakeupCompleted> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupCompleted), m.EventId, m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId);
        return makeups.Completed(m, InboxKey, context.CancellationToken);
    }
}
