using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class RecordConsentGrant(Consents consents) : IConsumer<ConsentGranted>
{
    public Task Consume(ConsumeContext<ConsentGranted> context) => consents.RecordGrant(context.Message, context.CancellationToken);
}
