using System.Net;

namespace VirtualIop.BuildingBlocks.Http;

/// <summary>
/// The start-up checks, outside Development, of the addresses a service calls or hands out: settings that are fine on
/// a laptop and wrong with patients. Each check yields the failures of one setting, so a service's validation can name
/// every failing setting in one error.
/// </summary>
public static class OutgoingUrls
{
    /// <summary>A link patients, clinicians or their apps follow: https, on a real host; unset is fine (the feature is off).</summary>
    public static IEnumerable<string> Link(string setting, string? url)
    {
        foreach (var failure in Endpoint(setting, url)) yield return failure;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeHttps)
            yield return $"{setting} ({url}) must be an https URL outside Development: it is a link handed to patients and clinicians.";
    }

    /// <summary>As <see cref="Link"/>, for a link without which the service hands out wrong ones: unset is refused too.</summary>
    public static IEnumerable<string> RequiredLink(string setting, string? url, string why)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            yield return $"{setting} is required outside Development: {why}";
            yield break;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            yield return $"{setting} ({url}) must be an absolute https URL.";
            yield break;
        }
        foreach (var failure in Link(setting, url)) yield return failure;
    }

    /// <summary>An address the service calls or hands out: unset is fine (the feature is off), localhost or a placeholder is not.</summary>
    public static IEnumerable<string> Endpoint(string setting, string? url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsPlaceholder(uri.Host))
            yield return $"{setting} ({url}) points at localhost or a placeholder host; set the real address.";
    }

    /// <summary>Loopback, unspecified, or a name reserved for examples, tests and local networks (RFC 2606, RFC 6761, RFC 6762).</summary>
    public static bool IsPlaceholder(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (IPAddress.TryParse(name, out var address)) return IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
        string[] reserved = ["localhost", "local", "test", "example", "invalid", "example.com", "example.org", "example.net"];
        return reserved.Any(r => name == r || name.EndsWith("." + r, StringComparison.Ordinal));
    }
}
