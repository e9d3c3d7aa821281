using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// URLs whose path carries a credential (a calendar feed's token is the feed's only key, a patient's personal link under /p/ is theirs): everything after a secret
/// path prefix is replaced before a span keeps it, so no trace backend, dashboard or log shipper ever holds it. The
/// prefixes are <see cref="DefaultSecretPathPrefixes"/> plus configuration <c>Telemetry:SecretPathPrefixes</c>.
/// </summary>
public sealed class UrlRedaction(IEnumerable<string> secretPathPrefixes)
{
    public const string Redacted = "{redacted}";

    public static readonly IReadOnlyList<string> DefaultSecretPathPrefixes = ["/api/scheduling/feeds/", "/p/"];

    readonly string[] prefixes = secretPathPrefixes.ToArray();

    /// <summary>The path with whatever follows a secret prefix replaced, or null when it carries no secret.</summary>
    public string? RedactPath(string? path) =>
        path is null ? null : prefixes.FirstOrDefault(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } prefix
            ? path[..prefix.Length] + Redacted
            : null;

    /// <summary>Overwrites the URL tags of a server span (<c>url.path</c>) when its path carries a secret.</summary>
    public void RedactServerSpan(Activity activity, string? path)
    {
        if (RedactPath(path) is not { } redacted) return;
        activity.SetTag("url.path", redacted);
        activity.SetTag("url.query", null);
    }

    /// <summary>Overwrites the URL tags of a client span (<c>url.full</c>, <c>url.path</c>) when its URL carries a secret.</summary>
    public void RedactClientSpan(Activity activity, Uri? url)
    {
        if (url is null || RedactPath(url.AbsolutePath) is not { } redacted) return;
        activity.SetTag("url.full", url.GetLeftPart(UriPartial.Authority) + redacted);
        activity.SetTag("url.path", redacted);
        activity.SetTag("url.query", null);
    }
}
