using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualIop.Notification.Domain.Webhooks;

/// <summary>
/// How a clinic's webhook is signed: HMAC-SHA256, keyed with the subscription's secret, over
/// <c>{timestamp}.{webhook id}.{body}</c> (the timestamp in Unix seconds, the id as sent in VirtualIop-Webhook-Id), in
/// lower-case hex. The signature header names the timestamp and one <c>v1=</c> signature per secret in force, Stripe style
/// (<c>t=1700000000,v1=…,v1=…</c>), so during a rotation's overlap a receiver holding either secret can verify.
/// </summary>
public static class WebhookSigning
{
    public const string IdHeader = "VirtualIop-Webhook-Id";
    public const string TimestampHeader = "VirtualIop-Webhook-Timestamp";
    public const string SignatureHeader = "VirtualIop-Webhook-Signature";

    /// <summary>The prefix of every secret, so one found in a log or a repository is recognisable.</summary>
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, long timestamp, string webhookId, string body)
    {
        var content = Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{webhookId}.{body}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), content));
    }

    /// <param name="secrets">The secrets in force: the current one first, then one being rotated out.</param>
    public static string Header(long timestamp, string webhookId, string body, IEnumerable<string> secrets) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)}" + string.Concat(secrets.Select(s => ",v1=" + Sign(s, timestamp, webhookId, body)));
}
