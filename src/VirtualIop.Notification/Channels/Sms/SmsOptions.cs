namespace VirtualIop.Notification.Channels.Sms;

/// <summary>The SMS provider: any HTTP API with Twilio's request shape, and its inbound webhooks.</summary>
public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    /// <summary>Where the provider's REST API answers; messages are posted to {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json.</summary>
    public string BaseUrl { get; set; } = "https://api.twilio.com";

    public string? AccountSid { get; set; }

    /// <summary>
    /// The account's auth token: the password for sending, and the key inbound webhooks are signed with
    /// (X-Twilio-Signature). Without it, nothing is texted and every inbound webhook is refused.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>The number texts come from, in E.164.</summary>
    public string? FromNumber { get; set; }

    /// <summary>
    /// The public base URL the provider calls (e.g. the gateway's "https://api.example.org"), because the signature
    /// covers the URL as the provider saw it. Unset: the URL of the request as it arrived here.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the id of each inbound text is kept against replays (Sms:InboundRetention). A provider retries for
    /// minutes, not weeks; a captured request replayed after this long would be acted on again, so it is kept for months.
    /// </summary>
    public TimeSpan InboundRetention { get; set; } = TimeSpan.FromDays(90);

    public ChannelResilienceOptions Resilience { get; set; } = new();
}
