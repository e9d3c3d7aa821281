using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualIop.Scheduling.Domain;

public enum WebhookVerdict
{
    Valid,
    MissingSignature,
    BadSignature,
    Stale
}

/// <summary>
/// The video platform signs each webhook: hex HMAC-SHA256, keyed with the shared secret, over
/// <c>timestamp + "." + body</c>, where the timestamp is Unix seconds sent in X-VirtualIop-Timestamp. A call more than
/// five minutes from now (either way) is refused, so a captured call cannot be replayed later; replays within the
/// window are caught by the event id.
/// </summary>
public static class RecordingWebhookSignature
{
    public const string TimestampHeader = "X-VirtualIop-Timestamp";
    public const string SignatureHeader = "X-VirtualIop-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    public static WebhookVerdict Verify(string secret, string? timestamp, string body, string? signature, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)) return WebhookVerdict.MissingSignature;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant());
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return WebhookVerdict.BadSignature;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return WebhookVerdict.BadSignature;
        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        return (now - sent).Duration() > Tolerance ? WebhookVerdict.Stale : WebhookVerdict.Valid;
    }
}
