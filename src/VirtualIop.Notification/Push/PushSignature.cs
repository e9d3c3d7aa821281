using System.Globalization;
using System.Text;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Notification.Push;

/// <summary>
/// How push and help-desk webhooks go out: signed as every VirtualIop webhook is (<see cref="WebhookSignature"/>), with
/// the timestamp (Unix seconds) sent alongside so the receiver can refuse old replays.
/// </summary>
public static class PushSignature
{
    /// <summary>A JSON POST to <paramref name="url"/> carrying the body, its timestamp and its signature.</summary>
    public static HttpRequestMessage SignedJsonPost(string url, string secret, DateTimeOffset now, string body)
    {
        var timestamp = now.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, timestamp, body));
        return request;
    }
}
