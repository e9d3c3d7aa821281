using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

/// <summary>The patient finished homework from a catch-up: its reminder is not sent.</summary>
public sealed class CancelHomeworkReminderOnCompletion(CatchUps catchUps) : IConsumer<ContinuityItemCompleted>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "CancelHomeworkReminderOnCompletion";

    public Task Consume(ConsumeContext<ContinuityItemCompleted> context) => catchUps.SettleHomework(context.Message, InboxKey, context.CancellationToken);
}
