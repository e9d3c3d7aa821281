using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Push;

/// <summary>
/// Pushes through the clinic's app backend: a JSON POST (delivery id, the patient's app reference, title, text)
/// signed with HMAC-SHA256. A 4xx answer (e.g. 404/410: no such app user) is final; the rest is retried behind
/// the channel's circuit breaker.
/// </summary>
public sealed class WebhookPushSender : IChannelSender, IDisposable
{
    readonly PushOptions options;
    readonly TimeProvider clock;
    readonly HttpClient http;
    readonly ResiliencePipeline pipeline;
    readonly ILogger<WebhookPushSender> logger;

    public WebhookPushSender(IOptions<PushOptions> options, TimeProvider clock, ILogger<WebhookPushSender> logger)
    {
        this.options = options.Value;
        this.clock = clock;
        this.logger = logger;
        // Its own client: the factory's default resilience handler would stack a second retry on this channel's.
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = this.options.Timeout };
        pipeline = ChannelResilience.Build("Push", this.options.Resilience, HttpFailures.IsTransient, clock, logger);
    }

    public Channel Channel => Channel.Push;

    public async Task<SendResult> Send(OutgoingMessage message, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(options.WebhookUrl) || string.IsNullOrEmpty(options.SigningSecret))
            return SendResult.Permanent("notConfigured", "Push is not configured for this service.");
        try
        {
            return await pipeline.ExecuteAsync(async token => await SendOnce(message, token), ct);
        }
        catch (BrokenCircuitException)
        {
            return SendResult.Transient("circuitOpen", "Push backend unavailable: too many recent failures, sends are paused.");
        }
        catch (Exception e) when (HttpFailures.IsTransient(e))
        {
            logger.LogWarning("Push still failing after retries ({Failure})", ChannelResilience.Describe(e));
            return SendResult.Transient("unavailable", $"Push backend unavailable: {e.Message}");
        }
    }

    async Task<SendResult> SendOnce(OutgoingMessage message, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { deliveryId = message.DeliveryId, recipient = message.Address, title = message.Subject, text = message.Body });
        using var request = PushSignature.SignedJsonPost(options.WebhookUrl!, options.SigningSecret!, clock.GetUtcNow(), body);
        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode) return SendResult.Sent;
        var status = (int)response.StatusCode;
        if (HttpFailures.IsTransient(response.StatusCode))
            throw new TransientSendException($"http{status}", $"Push backend answered {status}.");
        logger.LogWarning("Push backend refused the message ({Status})", status);
        return SendResult.Permanent("refused", $"Refused by the push backend ({status}).");
    }

    public void Dispose() => http.Dispose();
}
