using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class RecordMakeupBooked(Makeups makeups) : IConsumer<MakeupBooked>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "RecordMakeupBooked";

    public Task Consume(ConsumeContext<MakeupBooked> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupBooked), m.EventId, m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId);
        return makeups.Booked(m, InboxKey, context.CancellationToken);
    }
}
