using System.Text.Json;
using Microsoft.Extensions.Options;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Channels.Push;

/// <summary>
/// Pushes through the clinic's app backend: a signed JSON POST (delivery id, the patient's app reference, title, text).
/// A 4xx answer (e.g. 404/410: no such app user) is final; the rest is retried behind the channel's circuit breaker.
/// </summary>
public sealed class WebhookPushSender(IOptions<PushOptions> options, TimeProvider clock, ILogger<WebhookPushSender> logger)
    : IChannelSender, IDisposable
{
    readonly SignedWebhook backend = new("push", "Push backend", "sends", options.Value, clock, logger);

    public Channel Channel => Channel.Push;

    public Task<SendResult> Send(OutgoingMessage message, CancellationToken ct) =>
        backend.Configured
            ? backend.Post(message.DeliveryId, JsonSerializer.Serialize(new { deliveryId = message.DeliveryId, recipient = message.Address, title = message.Subject, text = message.Body }), ct)
            : Task.FromResult(SendResult.Permanent("notConfigured", "Push is not configured for this service."));

    public void Dispose() => backend.Dispose();
}
