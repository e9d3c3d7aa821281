using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Messaging;

public sealed class KeepRosterOnSessionScheduled(PatientRoster roster) : IConsumer<SessionScheduled>
{
    /// <summary>The inbox key this consumer's processed events are stored under; stored rows depend on it never changing.</summary>
    public const string InboxKey = "KeepRosterOnSessionScheduled";

    public Task Consume(ConsumeContext<SessionScheduled> context)
    {
        var m = context.Message;
        EventGuard.RequireIds(nameof(SessionScheduled), m.EventId, m.ClinicId, m.SessionId);
        return roster.Keep(m, InboxKey, context.CancellationToken);
    }
}
