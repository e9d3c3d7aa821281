using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>Why a signed webhook was accepted or refused, so the receiver can log the reason.</summary>
public enum WebhookSignatureCheck
{
    Valid,
    /// <summary>The timestamp or the signature header is absent or empty.</summary>
    Missing,
    /// <summary>A header is present but not in the documented format: Unix seconds, and sha256= with 64 hex digits.</summary>
    Malformed,
    /// <summary>The signature is genuine but signed further from now than the allowed skew: an old capture replayed, or a wrong clock.</summary>
    Stale,
    /// <summary>The signature is not the HMAC of this timestamp, request target and body under this secret: another secret, URL, body or timestamp.</summary>
    Mismatch
}

/// <summary>
/// How VirtualIop's webhooks are signed, both ways (push and help-desk calls going out, platform calls coming in):
/// <c>X-VirtualIop-Timestamp</c> carries Unix seconds and <c>X-VirtualIop-Signature</c> carries <c>sha256=</c> +
/// lowercase hex(HMAC-SHA256(secret, timestamp + "\n" + METHOD + "\n" + path?query + "\n" + raw body)), what
/// <c>printf '%s\n%s\n%s\n%s' "$TS" POST "$PATH" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"</c> prints. The request
/// target (path and query, as sent) is signed so a signature is good for one URL only: the clinic id sits in every
/// platform webhook's path, so a call signed for one clinic cannot be replayed to another clinic's URL even where two
/// clinics share a secret. Scheme and host are left out because a receiver behind TLS termination and the gateway sees
/// neither as the sender dialled them; the path passes through unchanged. Newlines separate the parts because none can
/// appear raw in a timestamp, a method or a request target. A receiver also accepts the bare hex and either case.
/// Pure: the caller supplies the time.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-VirtualIop-Timestamp";
    public const string SignatureHeader = "X-VirtualIop-Signature";

    /// <summary>Shortest secret a service accepts at start-up: one captured signature lets guesses be tested offline, so short secrets are refused.</summary>
    public const int MinimumSecretLength = 32;
    const string Prefix = "sha256=";
    const int MacBytes = HMACSHA256.HashSizeInBytes;
    static readonly long LatestUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static string Compute(string secret, long timestamp, string method, string target, string body) =>
        Compute(secret, timestamp, method, target, Encoding.UTF8.GetBytes(body));

    public static string Compute(string secret, long timestamp, string method, string target, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Prefix + Convert.ToHexStringLower(Mac(secret, timestamp, method, target, body));
    }

    /// <summary>The request target a sender signs for <paramref name="url"/>: its path and query, escaped as sent.</summary>
    public static string Target(Uri url) => url.PathAndQuery;

    public static WebhookSignatureCheck Verify(string secret, string? timestampHeader, string? signatureHeader, string method, string target,
        string body, DateTimeOffset now, TimeSpan maxSkew) =>
        Verify(secret, timestampHeader, signatureHeader, method, target, Encoding.UTF8.GetBytes(body), now, maxSkew);

    /// <summary>
    /// Checks the signature first, compared in constant time, and then the timestamp against <paramref name="now"/> (at
    /// most <paramref name="maxSkew"/> either way, inclusive): so Stale means a genuine call signed too long ago or too
    /// far ahead, and a replay of a captured call after the skew is refused even though its signature is genuine.
    /// </summary>
    public static WebhookSignatureCheck Verify(string secret, string? timestampHeader, string? signatureHeader, string method, string target,
        ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan maxSkew)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrWhiteSpace(timestampHeader) || string.IsNullOrWhiteSpace(signatureHeader)) return WebhookSignatureCheck.Missing;
        Span<byte> given = stackalloc byte[MacBytes];
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || !TryParseHex(signatureHeader, given))
        {
            return WebhookSignatureCheck.Malformed;
        }
        if (!CryptographicOperations.FixedTimeEquals(Mac(secret, timestamp, method, target, body), given)) return WebhookSignatureCheck.Mismatch;
        if (timestamp > LatestUnixSeconds) return WebhookSignatureCheck.Stale;
        return (now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > maxSkew ? WebhookSignatureCheck.Stale : WebhookSignatureCheck.Valid;
    }

    static byte[] Mac(string secret, long timestamp, string method, string target, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(
            $"{timestamp.ToString(CultureInfo.InvariantCulture)}\n{method.ToUpperInvariant()}\n{target}\n");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }

    static bool TryParseHex(string header, Span<byte> mac)
    {
        var hex = header.AsSpan().Trim();
        if (hex.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) hex = hex[Prefix.Length..];
        return hex.Length == 2 * MacBytes && Convert.FromHexString(hex, mac, out _, out _) == OperationStatus.Done;
    }
}
