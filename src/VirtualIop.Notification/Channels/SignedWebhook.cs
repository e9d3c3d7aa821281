using System.Globalization;
using System.Text;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Notification.Channels;

/// <summary>Where a signed webhook goes and how hard it is tried; push and the help desk each configure one.</summary>
public class SignedWebhookOptions
{
    /// <summary>Where requests are posted. Unset: nothing is posted (the caller says what that means for it).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key the receiver checks X-VirtualIop-Signature with.</summary>
    public string? SigningSecret { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public ChannelResilienceOptions Resilience { get; set; } = new();

    public bool Configured => !string.IsNullOrEmpty(WebhookUrl) && !string.IsNullOrEmpty(SigningSecret);
}

/// <summary>
/// Posts JSON to a partner's webhook, signed as every VirtualIop webhook is (<see cref="WebhookSignature"/>: over the
/// timestamp, method, the URL's path and query, and the body, with the timestamp sent alongside so the receiver can refuse
/// old replays), retried behind its own circuit breaker. A 4xx
/// answer is final; a 5xx, or a network failure before the body went out, is retried and then handed back as
/// transient; a timeout or a broken connection after the body went out is unknown and not retried
/// (<see cref="HttpSubmission"/>). Each request carries the delivery id as its Idempotency-Key.
/// </summary>
public sealed class SignedWebhook : IDisposable
{
    readonly SignedWebhookOptions options;
    readonly string code;
    readonly string peer;
    readonly TimeProvider clock;
    readonly ILogger logger;
    readonly HttpClient http;
    readonly ChannelResilience resilience;

    /// <param name="code">The prefix of its reason codes ("push", "helpdesk").</param>
    /// <param name="peer">Who receives it, as details name it ("Push backend", "Help desk").</param>
    /// <param name="pausedWork">What an open circuit pauses ("sends", "tickets").</param>
    public SignedWebhook(string code, string peer, string pausedWork, SignedWebhookOptions options, TimeProvider clock, ILogger logger)
    {
        this.code = code;
        this.peer = peer;
        this.options = options;
        this.clock = clock;
        this.logger = logger;
        // Its own client: the factory's default resilience handler would stack a second retry on this one's.
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = options.Timeout };
        resilience = new ChannelResilience(code, peer, pausedWork, options.Resilience, HttpFailures.IsTransient, e => HttpFailures.Reason(code, e), clock, logger);
    }

    public bool Configured => options.Configured;

    /// <summary>Posts <paramref name="body"/> for one delivery; call only when <see cref="Configured"/>.</summary>
    public Task<SendResult> Post(Guid deliveryId, string body, CancellationToken ct) =>
        resilience.Send(async token => await PostOnce(deliveryId, body, token), ct);

    async Task<SendResult> PostOnce(Guid deliveryId, string body, CancellationToken ct)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, options.WebhookUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader,
            WebhookSignature.Compute(options.SigningSecret!, timestamp, request.Method.Method, WebhookSignature.Target(request.RequestUri!), body));
        using var response = await HttpSubmission.Send(http, request, deliveryId, code, ct);
        if (response.IsSuccessStatusCode) return SendResult.Sent;
        var reason = HttpFailures.Reason(code, response.StatusCode);
        if (HttpFailures.IsTransient(response.StatusCode)) throw new TransientSendException(reason);
        logger.LogWarning("{Peer} refused the request ({Reason})", peer, reason);
        return SendResult.Permanent("refused", $"Refused by the {peer.ToLowerInvariant()} ({reason}).");
    }

    public void Dispose() => http.Dispose();
}
