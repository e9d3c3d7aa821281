using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class RecordMakeupExpired(Makeups makeups) : IConsumer<MakeupExpired>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "RecordMakeupExpired";

    public Task Consume(ConsumeContext<MakeupExpired> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupExpired), m.EventId, m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId);
        return makeups.Expired(m, InboxKey, context.CancellationToken);
    }
}
