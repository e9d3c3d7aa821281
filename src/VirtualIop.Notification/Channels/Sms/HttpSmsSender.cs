using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
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
    readonly ChannelResilience resilience;
    readonly ILogger<HttpSmsSender> logger;

    public HttpSmsSender(IOptions<SmsOptions> options, TimeProvider clock, ILogger<HttpSmsSender> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        // Its own client: the factory's default resilience handler would stack a second retry on this channel's.
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = this.options.Timeout };
        resilience = new ChannelResilience(Code, "SMS provider", "sends", this.options.Resilience, HttpFailures.IsTransient,
            e => HttpFailures.Reason(Code, e), clock, logger);
    }

    const string Code = "sms";

    public Channel Channel => Channel.Sms;

    public Task<SendResult> Send(OutgoingMessage message, CancellationToken ct) =>
        string.IsNullOrEmpty(options.AccountSid) || string.IsNullOrEmpty(options.AuthToken) || string.IsNullOrEmpty(options.FromNumber)
            ? Task.FromResult(SendResult.Permanent("notConfigured", "Texting is not configured for this service (sms.not_configured)."))
            : resilience.Send(async token => await SendOnce(message, token), ct);

    async Task<SendResult> SendOnce(OutgoingMessage message, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid!)}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", message.Address), new("From", options.FromNumber!), new("Body", message.Body)])
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{options.AuthToken}")));
        using var response = await HttpSubmission.Send(http, request, message.DeliveryId, Code, ct);
        if (response.IsSuccessStatusCode) return SendResult.Sent;
        var reason = HttpFailures.Reason(Code, response.StatusCode);
        if (HttpFailures.IsTransient(response.StatusCode)) throw new TransientSendException(reason);
        logger.LogWarning("SMS provider refused the message ({Reason})", reason);
        return SendResult.Permanent("refused", $"Refused by the SMS provider ({reason}).");
    }

    public void Dispose() => http.Dispose();
}
