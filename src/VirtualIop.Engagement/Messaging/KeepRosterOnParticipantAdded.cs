using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class KeepRosterOnParticipantAdded(PatientRoster roster) : IConsumer<SessionParticipantAdded>
{
    public Task Consume(ConsumeContext<SessionParticipantAdded> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionParticipantAdded), m.EventId, m.ClinicId, m.SessionId, m.PatientId);
        return roster.Join(m, context.CancellationToken);
    }
}
