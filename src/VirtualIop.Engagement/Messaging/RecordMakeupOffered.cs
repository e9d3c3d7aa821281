using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class RecordMakeupOffered(Makeups makeups) : IConsumer<MakeupOffered>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "RecordMakeupOffered";

    public Task Consume(ConsumeContext<MakeupOffered> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupOffered), m.EventId, m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId);
        return makeups.Offered(m, InboxKey, context.CancellationToken);
    }
}
