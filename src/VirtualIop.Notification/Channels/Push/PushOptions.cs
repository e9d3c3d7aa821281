namespace VirtualIop.Notification.Channels.Push;

/// <summary>
/// The clinic's app backend, which turns a signed webhook into a push notification on the patient's device. Without a
/// URL and secret the push channel is unavailable and falls back to the next one.
/// </summary>
public sealed class PushOptions : SignedWebhookOptions
{
    public const string SectionName = "Push";
}
