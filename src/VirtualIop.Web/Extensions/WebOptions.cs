namespace VirtualIop.Web;

/// <summary>Settings of the web front end (section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>
    /// Where the pages call the partner API on the user's behalf: the gateway, so every call is validated, rate limited
    /// and routed exactly as a partner's. <c>http://gateway</c> resolves through service discovery.
    /// </summary>
    public string GatewayUrl { get; set; } = "http://gateway";

    /// <summary>The OpenID Connect issuer staff sign in with and patient links are redeemed at, as the browser sees it.</summary>
    public string? Authority { get; set; }

    /// <summary>The web app's confidential client secret at <see cref="Authority"/> (client id <c>virtualiop-web</c>).</summary>
    public string? ClientSecret { get; set; }
}
