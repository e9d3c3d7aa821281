using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class KeepRosterOnParticipantAdded(PatientRoster roster) : IConsumer<SessionParticipantAdded>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "KeepRosterOnParticipantAdded";

    public Task Consume(ConsumeContext<SessionParticipantAdded> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionParticipantAdded), m.EventId, m.ClinicId, m.SessionId, m.PatientId);
        return roster.Join(m, InboxKey, context.CancellationToken);
    }
}
