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

    public static string Compute(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
