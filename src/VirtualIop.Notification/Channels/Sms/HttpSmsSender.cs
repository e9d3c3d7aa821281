using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Channels.Sms;

/// <summary>
/// Texts through an HTTP provider with Twilio's request shape: a form POST of To, From and Body to the account's
/// Messages resource, with the account SID and auth token as basic credentials, and the delivery id as its
/// Idempotency-Key. A 4xx answer (an invalid or unreachable number) is final; throttling, 5xx and failures before the
/// request body went out are retried, behind the channel's circuit breaker. A POST that timed out or lost its
/// connection after the body went out may have been accepted: it is reported as unknown and never retried
/// (<see cref="HttpSubmission"/>).
/// </summary>
public sealed class HttpSmsSender : IChannelSender, IDisposable
{
    readonly SmsOptions options;
    readonly HttpClient http;
    readonly ResiliencePipeline pipeline;
    readonly ILogger<HttpSmsSender> logger;

    public HttpSmsSender(IOptions<SmsOptions> options, TimeProvider clock, ILogger<HttpSmsSender> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        // Its own client: the factory's default resilience handler would stack a second retry on this channel's.
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = this.options.Timeout };
        pipeline = ChannelResilience.Build("SMS", this.options.Resilience, HttpFailures.IsTransient, clock, logger);
    }

    public Channel Channel => Channel.Sms;

    public async Task<SendResult> Send(OutgoingMessage message, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(options.AccountSid) || string.IsNullOrEmpty(options.AuthToken) || string.IsNullOrEmpty(options.FromNumber))
            return SendResult.Permanent("notConfigured", "Texting is not configured for this service.");
        try
        {
            return await pipeline.ExecuteAsync(async token => await SendOnce(message, token), ct);
        }
        catch (SendOutcomeUnknownException e)
        {
            logger.LogWarning("SMS provider gave no answer after the text was posted ({Failure}); not retried", ChannelResilience.Describe(e.InnerException));
            return SendResult.Unknown(e.Reason, e.Message);
        }
        catch (BrokenCircuitException)
        {
            return SendResult.Transient("circuitOpen", "SMS provider unavailable: too many recent failures, sends are paused.");
        }
        catch (Exception e) when (HttpFailures.IsTransient(e))
        {
            logger.LogWarning("SMS send still failing after retries ({Failure})", ChannelResilience.Describe(e));
            return SendResult.Transient("unavailable", $"SMS provider unavailable: {e.Message}");
        }
    }

    async Task<SendResult> SendOnce(OutgoingMessage message, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid!)}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", message.Address), new("From", options.FromNumber!), new("Body", message.Body)])
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{options.AuthToken}")));
        using var response = await HttpSubmission.Send(http, request, message.DeliveryId, "SMS provider", ct);
        if (response.IsSuccessStatusCode) return SendResult.Sent;
        var status = (int)response.StatusCode;
        if (HttpFailures.IsTransient(response.StatusCode))
            throw new TransientSendException($"http{status}", $"SMS provider answered {status}.");
        logger.LogWarning("SMS provider refused the message ({Status})", status);
        return SendResult.Permanent("refused", $"Refused by the SMS provider ({status}).");
    }

    public void Dispose() => http.Dispose();
}
