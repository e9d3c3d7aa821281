using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

/// <summary>A session moved: its start, which orders a patient's sessions in the roster copy.</summary>
public sealed class KeepRosterOnSessionRescheduled(PatientRoster roster) : IConsumer<SessionRescheduled>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "KeepRosterOnSessionRescheduled";

    public Task Consume(ConsumeContext<SessionRescheduled> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionRescheduled), m.EventId, m.ClinicId, m.SessionId);
        return roster.Reschedule(m, InboxKey, context.CancellationToken);
    }
}
