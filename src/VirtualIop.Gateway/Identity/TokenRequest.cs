using System.Net.Http.Headers;
using System.Text;

namespace VirtualIop.Gateway.Identity;

/// <summary>An OAuth2 client-credentials request (RFC 6749 §4.4), client authenticated by Basic or by form fields.</summary>
public sealed record TokenRequest(string? GrantType, string? ClientId, string? ClientSecret, string[]? Scopes)
{
    public static TokenRequest From(HttpRequest request, IFormCollection form)
    {
        var (clientId, clientSecret) = BasicCredentials(request) ?? (form["client_id"].ToString(), form["client_secret"].ToString());
        var scope = form["scope"].ToString();
        return new TokenRequest(
            form["grant_type"].ToString(),
            clientId,
            clientSecret,
            scope.Length == 0 ? null : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    static (string, string)? BasicCredentials(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
            return pair.Length == 2 ? (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1])) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
