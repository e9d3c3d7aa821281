namespace VirtualIop.Gateway.Identity;

/// <summary>
/// The staff and patient web app (configuration <c>Auth:WebClient</c>): a confidential client that signs staff in with
/// the authorization code flow and PKCE, and redeems patients' personal links for patient-scoped tokens.
/// </summary>
public sealed class WebClient
{
    public const string ClientId = "virtualiop-web";

    public string ClientSecret { get; init; } = "";

    /// <summary>
    /// Where the authorization endpoint may send a code back, compared exactly: the app's /signin-oidc as the browser
    /// sees it, which is on the gateway's own address since the gateway serves the pages.
    /// </summary>
    public string[] RedirectUris { get; init; } = [];
}
