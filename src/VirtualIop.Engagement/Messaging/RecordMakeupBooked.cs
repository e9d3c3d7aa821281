using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class RecordMakeupBooked(Makeups makeups) : IConsumer<MakeupBooked>
{
    public Task Consume(ConsumeContext<MakeupBooked> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupBooked), m.EventId, m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId);
        return makeups.Booked(m, context.CancellationToken);
    }
}
