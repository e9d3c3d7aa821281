using VirtualIop.Notification.Channels;

namespace VirtualIop.Notification.Push;

/// <summary>The clinic's app backend, which turns a signed webhook into a push notification on the patient's device.</summary>
public sealed class PushOptions
{
    public const string SectionName = "Push";

    /// <summary>Where push requests are posted. Unset: the push channel is unavailable and falls back to the next one.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key the app backend checks X-VirtualIop-Signature with.</summary>
    public string? SigningSecret { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public ChannelResilienceOptions Resilience { get; set; } = new();
}
