using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class RecordConsentRevocation(Consents consents) : IConsumer<ConsentRevoked>
{
    public Task Consume(ConsumeContext<ConsentRevoked> context) => consents.RecordRevocation(context.Message, context.CancellationToken);
}
