using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

/// <summary>Engagement assigned a catch-up after a miss: the patient gets a supportive message with the link to it, and a reminder is planned for homework still open.</summary>
public sealed class ShareCatchUpOnAssignment(CatchUps catchUps) : IConsumer<ContinuityAssigned>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "ShareCatchUpOnAssignment";

    public Task Consume(ConsumeContext<ContinuityAssigned> context) => catchUps.Share(context.Message, InboxKey, context.CancellationToken);
}
