using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class RecordConsentGrant(Consents consents) : IConsumer<ConsentGranted>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "RecordConsentGrant";

    public Task Consume(ConsumeContext<ConsentGranted> context) => consents.RecordGrant(context.Message, InboxKey, context.CancellationToken);
}
