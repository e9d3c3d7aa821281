namespace VirtualIop.Web.StaffConsole;

/// <summary>The names of the console's sign-in: the staff cookie, the OpenID Connect handler behind it, and the policy its pages require.</summary>
public static class ConsoleAuth
{
    /// <summary>The cookie that holds a signed-in staff member and their saved tokens.</summary>
    public const string Scheme = "Staff";

    /// <summary>The OpenID Connect handler (authorization code with PKCE) a staff challenge goes to.</summary>
    public const string OidcScheme = "StaffOidc";

    /// <summary>The authorization policy of every console page and action: a staff member signed in through <see cref="Scheme"/>.</summary>
    public const string Policy = "Staff";

    /// <summary>The claim that names the signed-in user (their user id, used as the clinician id).</summary>
    public const string UserIdClaim = "sub";

    /// <summary>The named HttpClient that calls the gateway with the staff member's access token.</summary>
    public const string GatewayClient = "console-gateway";
}
