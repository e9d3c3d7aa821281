using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

/// <summary>A cancelled session no longer places its patients nor counts their outcomes, whether it arrives before or after the rest.</summary>
public sealed class KeepRosterOnSessionCancelled(PatientRoster roster) : IConsumer<SessionCancelled>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "KeepRosterOnSessionCancelled";

    public Task Consume(ConsumeContext<SessionCancelled> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionCancelled), m.EventId, m.ClinicId, m.SessionId);
        return roster.Cancel(m, InboxKey, context.CancellationToken);
    }
}
