using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class RecordMakeupCompleted(Makeups makeups) : IConsumer<MakeupCompleted>
{
    public Task Consume(ConsumeContext<MakeupCompleted> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(MakeupCompleted), m.EventId, m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId);
        return makeups.Completed(m, context.CancellationToken);
    }
}
