using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class KeepRosterOnSessionScheduled(PatientRoster roster) : IConsumer<SessionScheduled>
{
    public Task Consume(ConsumeContext<SessionScheduled> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionScheduled), m.EventId, m.ClinicId, m.SessionId);
        return roster.Keep(m, context.CancellationToken);
    }
}
