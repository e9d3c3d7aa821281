using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class MoveRemindersOfRescheduledSession(Outreach outreach) : IConsumer<SessionRescheduled>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "MoveRemindersOfRescheduledSession";

    public Task Consume(ConsumeContext<SessionRescheduled> context) => outreach.MoveReminders(context.Message, InboxKey, context.CancellationToken);
}
