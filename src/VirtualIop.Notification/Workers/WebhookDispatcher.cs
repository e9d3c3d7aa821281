using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Data.Webhooks;
using VirtualIop.Notification.Domain.Webhooks;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Posts due webhook deliveries to the clinics' endpoints. A pass claims a batch under a lease (SKIP LOCKED, so replicas
/// never take the same row), posts them a few at a time, each within Webhooks:SendTimeout, and records each outcome as
/// soon as it is known. A 2xx delivers; anything else is retried with exponential backoff within the delivery's retry
/// window (Webhooks:RetryFor). Redirects are not followed, and outside Development every address a host name resolves
/// to is checked when connecting, so an endpoint cannot lead the service into its own network.
/// </summary>
public sealed class WebhookDispatcher : DueTimeWorker
{
    readonly WebhookDeliveries deliveries;
    readonly NotificationMetrics metrics;
    readonly WebhookOptions settings;
    readonly TimeProvider clock;
    readonly ILogger<WebhookDispatcher> logger;
    readonly HttpClient http;

    public WebhookDispatcher(WebhookDeliveries deliveries, NotificationMetrics metrics, IOptions<WebhookOptions> options, WebhookTargetPolicy targets, TimeProvider clock,
        ILogger<WebhookDispatcher> logger)
        : base(clock, logger)
    {
        this.deliveries = deliveries;
        this.metrics = metrics;
        settings = options.Value;
        this.clock = clock;
        this.logger = logger;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2), UseCookies = false };
        if (!targets.AllowPrivate) handler.ConnectCallback = ConnectToPublicAddressOnly;
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    protected override TimeSpan Interval => settings.DispatchInterval;

    protected override int BatchSize => settings.DispatchBatchSize;

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var claimId = Guid.CreateVersion7();
        var claimed = await deliveries.Claim(claimId, now, settings.DispatchBatchSize, ct);
        if (claimed.Count == 0) return 0;
        var started = new ConcurrentDictionary<Guid, bool>();
        try
        {
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.DispatchParallelism, CancellationToken = ct },
                async (delivery, token) =>
                {
                    started[delivery.Id] = true;
                    var outcome = await Post(delivery, token);
                    var disabled = await deliveries.Record(claimId, delivery, outcome, CancellationToken.None);
                    if (disabled is not null) metrics.RecordWebhookAttempt(outcome.Delivered, endpointDisabled: disabled.Value);
                    if (disabled == true)
                        logger.LogWarning("Webhook subscription {SubscriptionId} of clinic {ClinicId} disabled after repeated failures",
                            delivery.SubscriptionId, delivery.ClinicId);
                });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await deliveries.Release(claimId, claimed.Select(d => d.Id).Where(id => !started.ContainsKey(id)).ToList(), CancellationToken.None);
            throw;
        }
        return claimed.Count;
    }

    async Task<WebhookAttemptOutcome> Post(ClaimedWebhook delivery, CancellationToken ct)
    {
        var attemptedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        var timestamp = attemptedAt.ToUnixTimeSeconds();
        var webhookId = delivery.Id.ToString();
        var secrets = delivery.PreviousSecret is null ? [delivery.Secret] : new[] { delivery.Secret, delivery.PreviousSecret };
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json")
        };
        request.Headers.Add(WebhookSigning.IdHeader, webhookId);
        request.Headers.Add(WebhookSigning.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigning.SignatureHeader, WebhookSigning.Header(timestamp, webhookId, delivery.Payload, secrets));
        request.Headers.UserAgent.ParseAdd("VirtualIop-Webhooks/1");
        using var budget = new CancellationTokenSource(settings.SendTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, budget.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return new WebhookAttemptOutcome((int)response.StatusCode, null, attemptedAt, clock.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return Failed($"timeout: no answer within {settings.SendTimeout}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Failed("interrupted: the service stopped during the attempt");
        }
        catch (HttpRequestException e)
        {
            // The kind of failure only: an exception message may quote the endpoint's answer.
            return Failed(e.InnerException is SocketException socket ? $"connection: {socket.SocketErrorCode}" : $"connection: {e.HttpRequestError}");
        }

        WebhookAttemptOutcome Failed(string error) => new(null, error, attemptedAt, clock.GetElapsedTime(started));
    }

    /// <summary>Connects only to public addresses, whatever the host name resolves to (a name may be re-pointed after it was registered).</summary>
    static async ValueTask<Stream> ConnectToPublicAddressOnly(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await System.Net.Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
        var allowed = addresses.Where(WebhookTargets.IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException(HttpRequestError.ConnectionError, "The endpoint does not resolve to a public address.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }
}

/// <summary>Whether webhook endpoints may be http or private addresses (Webhooks:AllowPrivateTargets, else only in Development).</summary>
public sealed record WebhookTargetPolicy(bool AllowPrivate);
