namespace VirtualIop.Web.Patient;

/// <summary>
/// Where a redeemed link sends the patient: only a path of the patient pages on this site, so a link can never be
/// turned into a redirect to somewhere else.
/// </summary>
public static class NextPath
{
    public const string Default = "/patient/sessions";
    const string Prefix = "/patient/";
    const int MaxLength = 500;

    public static string Resolve(string? next)
    {
        if (string.IsNullOrEmpty(next) || next.Length > MaxLength) return Default;
        if (!next.StartsWith(Prefix, StringComparison.Ordinal)) return Default;
        // Browsers read a backslash as a slash and drop tabs and newlines: "/patient/\evil" or "/patient/..//evil" must not escape.
        if (next.Any(c => c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c))) return Default;
        var path = next.Split('?', '#')[0];
        if (path.Contains("//", StringComparison.Ordinal) || path.Split('/').Any(segment => segment is "." or ".." || segment.Contains('%'))) return Default;
        return Uri.TryCreate(next, UriKind.Relative, out _) ? next : Default;
    }
}
