namespace VirtualIop.Notification.Sms;

public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    /// <summary>
    /// The provider account's auth token: inbound webhooks are signed with it (X-Twilio-Signature). Without it,
    /// every inbound webhook is refused.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// The public base URL the provider calls (e.g. the gateway's "https://api.example.org"), because the signature
    /// covers the URL as the provider saw it. Unset: the URL of the request as it arrived here.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}
