using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class PlanRemindersForScheduledSession(Outreach outreach) : IConsumer<SessionScheduled>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "PlanRemindersForScheduledSession";

    public Task Consume(ConsumeContext<SessionScheduled> context) => outreach.PlanReminders(context.Message, InboxKey, context.CancellationToken);
}
