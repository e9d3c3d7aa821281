using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class RecordConsentRevocation(Consents consents) : IConsumer<ConsentRevoked>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "RecordConsentRevocation";

    public Task Consume(ConsumeContext<ConsentRevoked> context) => consents.RecordRevocation(context.Message, InboxKey, context.CancellationToken);
}
