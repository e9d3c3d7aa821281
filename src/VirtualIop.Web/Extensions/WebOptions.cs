using Microsoft.Extensions.Configuration;

namespace VirtualIop.Web;

/// <summary>Settings of the web front end (section <c>Web</c>), shared by the patient pages and the console.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>
    /// Where the pages call the partner API on the user's behalf: the gateway, so every call is validated, rate limited
    /// and routed exactly as a partner's. <c>http://gateway</c> resolves through service discovery.
    /// </summary>
    public string GatewayUrl { get; set; } = "http://gateway";

    /// <summary>
    /// The OpenID Connect issuer staff sign in at, as the browser reaches it (the AppHost passes the gateway's endpoint).
    /// Its discovery document is read from here, so the web app must reach it too.
    /// </summary>
    public string Authority { get; set; } = "http://localhost:5080";

    /// <summary>The web app's confidential client at the issuer: staff sign-in and the patient-link grant.</summary>
    public string ClientId { get; set; } = "virtualiop-web";

    /// <summary>That client's secret; required (development's is in appsettings.Development.json).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The gateway's address, read before the options are built (for the named HttpClients).</summary>
    public static Uri GatewayAddress(IConfiguration configuration) =>
        new(configuration[$"{SectionName}:{nameof(GatewayUrl)}"] ?? new WebOptions().GatewayUrl);
}
