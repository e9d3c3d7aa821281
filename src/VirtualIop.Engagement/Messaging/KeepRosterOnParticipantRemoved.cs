using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

/// <summary>A patient taken off a session: kept as a tombstone when it arrives before the session, so the session does not add them back.</summary>
public sealed class KeepRosterOnParticipantRemoved(PatientRoster roster) : IConsumer<SessionParticipantRemoved>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "KeepRosterOnParticipantRemoved";

    public Task Consume(ConsumeContext<SessionParticipantRemoved> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionParticipantRemoved), m.EventId, m.ClinicId, m.SessionId, m.PatientId);
        return roster.Leave(m, InboxKey, context.CancellationToken);
    }
}
