namespace VirtualIop.Web.Patient;

/// <summary>The patient's sign-in: a cookie made from a redeemed personal link, holding the gateway token it was redeemed for.</summary>
public static class PatientAuth
{
    public const string Scheme = "Patient";
    public const string Policy = "Patient";
    public const string ExpiresAtName = "expires_at";

    /// <summary>The kind page shown when a link or the session made from it no longer works.</summary>
    public const string ExpiredPath = "/patient/expired";

    /// <summary>How long the cookie lives between visits; never past the token it holds (see the cookie's validation).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
}
