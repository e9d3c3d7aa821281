using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualIop.Attendance.Domain;

public enum SignatureCheck
{
    Valid,
    /// <summary>The timestamp or signature header is absent, or not in the documented format.</summary>
    Malformed,
    /// <summary>The timestamp is further from now than the allowed skew (an old capture replayed, or a wrong clock).</summary>
    Stale,
    /// <summary>The signature is not the HMAC of this timestamp and body under the clinic's secret.</summary>
    Mismatch
}

/// <summary>
/// How the telehealth platform signs a webhook: <c>X-VirtualIop-Timestamp</c> carries Unix seconds and
/// <c>X-VirtualIop-Signature</c> carries <c>sha256=</c> + hex(HMAC-SHA256(secret, timestamp + "." + raw body)), the
/// same scheme Notification signs its push webhooks with (the <c>sha256=</c> prefix may be left out; hex in either case).
/// Pure: the caller supplies the time.
/// </summary>
public static class TelehealthSignature
{
    public const string TimestampHeader = "X-VirtualIop-Timestamp";
    public const string SignatureHeader = "X-VirtualIop-Signature";
    const string Prefix = "sha256=";

    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(Mac(secret, timestamp, body));

    /// <summary>
    /// Checks the timestamp against <paramref name="now"/> (at most <paramref name="maxSkew"/> either way) and then the
    /// signature, compared in constant time. A captured request replayed after the skew is refused as stale even though
    /// its signature is genuine.
    /// </summary>
    public static SignatureCheck Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan maxSkew)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || !TryParseHex(signatureHeader, out var given))
        {
            return SignatureCheck.Malformed;
        }
        if (timestamp > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return SignatureCheck.Stale;
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(timestamp);
        if ((now - sentAt).Duration() > maxSkew) return SignatureCheck.Stale;
        return CryptographicOperations.FixedTimeEquals(Mac(secret, timestamp, body), given) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }

    static bool TryParseHex(string? header, out byte[] mac)
    {
        mac = [];
        if (string.IsNullOrWhiteSpace(header)) return false;
        var hex = header.Trim();
        if (hex.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) hex = hex[Prefix.Length..];
        if (hex.Length != 64) return false;
        try
        {
            mac = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
