using System.Security.Cryptography;
using System.Text;

namespace VirtualIop.Notification.Channels.Sms;

/// <summary>
/// The Twilio-compatible webhook signature: Base64(HMAC-SHA1(auth token, URL + every form field's name and value,
/// sorted by name)). Compared in constant time.
/// </summary>
public static class InboundSmsSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal))
            data.Append(name).Append(value);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(mac);
    }

    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(authToken, url, form));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
