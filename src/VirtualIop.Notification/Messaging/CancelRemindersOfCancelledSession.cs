using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class CancelRemindersOfCancelledSession(Outreach outreach) : IConsumer<SessionCancelled>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "CancelRemindersOfCancelledSession";

    public Task Consume(ConsumeContext<SessionCancelled> context) => outreach.CancelReminders(context.Message, InboxKey, context.CancellationToken);
}
