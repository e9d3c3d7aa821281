using System.Security.Cryptography;
using System.Text;

namespace VirtualIop.Notification.Push;

/// <summary>
/// How a push webhook is signed: "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)), the timestamp
/// (Unix seconds) sent alongside so the receiver can refuse old replays.
/// </summary>
public static class PushSignature
{
    public const string SignatureHeader = "X-VirtualIop-Signature";
    public const string TimestampHeader = "X-VirtualIop-Timestamp";

    /// <summary>A JSON POST to <paramref name="url"/> carrying the body, its timestamp and its signature.</summary>
    public static HttpRequestMessage SignedJsonPost(string url, string secret, DateTimeOffset now, string body)
    {
        var timestamp = now.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, Compute(secret, timestamp, body));
        return request;
    }

    public static string Compute(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
