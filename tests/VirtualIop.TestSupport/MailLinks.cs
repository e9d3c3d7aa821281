using System.Net;
using System.Text.RegularExpressions;

namespace VirtualIop.TestSupport;

/// <summary>The web links in an email body, as a recipient would follow them.</summary>
public static partial class MailLinks
{
    /// <summary>
    /// The http(s) links of <paramref name="html"/> (href attributes, entities decoded) and of <paramref name="text"/>
    /// (bare addresses, without the sentence punctuation that may follow them), in order of appearance, each once.
    /// </summary>
    public static IReadOnlyList<Uri> In(string? html, string? text)
    {
        var hrefs = html is null ? [] : Href().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["url"].Value));
        var bare = text is null ? [] : BareUrl().Matches(text).Select(m => m.Value.TrimEnd('.', ',', ';', ':', ')', '!', '?'));
        return hrefs.Concat(bare)
            .Select(link => Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null)
            .OfType<Uri>()
            .Distinct()
            .ToList();
    }

    [GeneratedRegex("""href\s*=\s*(["'])(?<url>.*?)\1""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Href();

    [GeneratedRegex("""https?://[^\s<>"']+""", RegexOptions.IgnoreCase)]
    private static partial Regex BareUrl();
}
