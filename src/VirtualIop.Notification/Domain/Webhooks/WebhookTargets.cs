using System.Net;
using System.Net.Sockets;

namespace VirtualIop.Notification.Domain.Webhooks;

/// <summary>
/// Where a clinic may point a webhook. Outside Development only https URLs to public addresses: no loopback, private,
/// link-local, carrier-grade NAT, multicast or unspecified addresses (checked on the URL's literal address here, and on
/// every address its host name resolves to when the dispatcher connects), so a subscription cannot make the service
/// call into its own network.
/// </summary>
public static class WebhookTargets
{
    public const int MaxUrlLength = 2000;

    /// <returns>Why the URL is refused, or null when it is acceptable.</returns>
    public static string? Refusal(string? url, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(url)) return "A URL is required.";
        if (url.Length > MaxUrlLength) return $"At most {MaxUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
            return "Must be an absolute https URL.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "Must not carry credentials; use the signature to authenticate VirtualIop.";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "Must not have a fragment.";
        if (allowPrivate) return null;
        if (uri.Scheme != "https") return "Must be an https URL.";
        if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".local", StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase))
            return "Must be a public address, not a local one.";
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && !IsPublic(address))
            return "Must be a public address, not a private, loopback or link-local one.";
        return null;
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.None))
            return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
                     || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 169 && b[1] == 254)
                     || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xfe) == 0xfc);
        }
        return false;
    }
}
