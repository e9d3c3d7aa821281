using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class RecordMakeupWithdrawn(Makeups makeups) : IConsumer<MakeupWithdrawn>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "RecordMakeupWithdrawn";

    public Task Consume(ConsumeContext<MakeupWithdrawn> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupWithdrawn), m.EventId, m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId);
        return makeups.Withdrawn(m, InboxKey, context.CancellationToken);
    }
}
