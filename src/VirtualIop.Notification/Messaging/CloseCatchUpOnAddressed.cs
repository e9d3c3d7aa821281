using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

/// <summary>A catch-up package is addressed: what is still to go out about it is cancelled.</summary>
public sealed class CloseCatchUpOnAddressed(CatchUps catchUps) : IConsumer<ContinuityPackageAddressed>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "CloseCatchUpOnAddressed";

    public Task Consume(ConsumeContext<ContinuityPackageAddressed> context) => catchUps.Close(context.Message, InboxKey, context.CancellationToken);
}
