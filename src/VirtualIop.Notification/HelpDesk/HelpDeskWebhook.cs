using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Extensions;
using VirtualIop.Notification.Push;

namespace VirtualIop.Notification.HelpDesk;

/// <summary>
/// Opens a ticket at the clinic's help desk: a JSON POST of ids only (ticket, clinic, patient, session, the reason
/// code and where it came from), signed as push webhooks are (HMAC-SHA256 over timestamp and body). The delivery id
/// is the ticket id, so a help desk that sees it twice (a retry after a lost answer) can tell. A 4xx is final; the rest
/// is retried behind its own circuit breaker.
/// </summary>
public sealed class HelpDeskWebhook : IDisposable
{
    readonly HelpDeskOptions options;
    readonly TimeProvider clock;
    readonly HttpClient http;
    readonly ResiliencePipeline pipeline;
    readonly ILogger<HelpDeskWebhook> logger;

    public HelpDeskWebhook(IOptions<NotificationOptions> options, TimeProvider clock, ILogger<HelpDeskWebhook> logger)
    {
        this.options = options.Value.HelpDesk;
        this.clock = clock;
        this.logger = logger;
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = this.options.Timeout };
        pipeline = ChannelResilience.Build("Help desk", this.options.Resilience, HttpFailures.IsTransient, clock, logger);
    }

    public async Task<SendResult> OpenTicket(ClaimedDelivery ticket, CancellationToken ct)
    {
        if (!options.Configured) return SendResult.Permanent("notConfigured", "No help-desk webhook is configured.");
        try
        {
            return await pipeline.ExecuteAsync(async token => await PostOnce(ticket, token), ct);
        }
        catch (BrokenCircuitException)
        {
            return SendResult.Transient("circuitOpen", "Help desk unavailable: too many recent failures, tickets are paused.");
        }
        catch (Exception e) when (HttpFailures.IsTransient(e))
        {
            logger.LogWarning("Help-desk ticket still failing after retries ({Failure})", ChannelResilience.Describe(e));
            return SendResult.Transient("unavailable", $"Help desk unavailable: {e.Message}");
        }
    }

    async Task<SendResult> PostOnce(ClaimedDelivery ticket, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new
        {
            ticketId = ticket.Id,
            clinicId = ticket.ClinicId,
            patientId = ticket.PatientId,
            sessionId = ticket.SessionId,
            reason = PatientOutreach.TechnicalDifficulty,
            source = ticket.Topic,
            openedAt = clock.GetUtcNow()
        });
        using var request = PushSignature.SignedJsonPost(options.WebhookUrl!, options.SigningSecret!, clock.GetUtcNow(), body);
        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode) return SendResult.Sent;
        var status = (int)response.StatusCode;
        if (HttpFailures.IsTransient(response.StatusCode))
            throw new TransientSendException($"http{status}", $"Help desk answered {status}.");
        logger.LogWarning("Help desk refused the ticket ({Status})", status);
        return SendResult.Permanent("refused", $"Refused by the help desk ({status}).");
    }

    public void Dispose() => http.Dispose();
}
