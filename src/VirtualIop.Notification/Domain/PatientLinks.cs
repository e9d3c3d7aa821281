using System.Security.Cryptography;
using System.Text;

namespace VirtualIop.Notification.Domain;

/// <summary>The patient's own pages a personal link opens.</summary>
public enum PatientPage
{
    Sessions,
    Absence,
    Makeups,
    CatchUp,
    TechnicalCheck,
    Preferences
}

/// <summary>
/// Personal links: <c>{portal}/p/{token}?next=/patient/{page}</c>. The portal (the clinic's own patient app, or the
/// default one) redeems the token for a patient-scoped session, then opens <c>next</c>. The token is random, names one
/// patient of one clinic, expires and can be revoked; only its SHA-256 hash is stored, so the table cannot be replayed.
/// </summary>
public static class PatientLinks
{
    /// <summary>Where a portal redeems a token: <c>{portal}/p/{token}</c>.</summary>
    public const string RedeemPath = "/p/";

    /// <summary>The query parameter naming the page to open once redeemed.</summary>
    public const string NextParameter = "next";

    /// <summary>Random bytes in a token: 256 bits, base64url without padding (43 characters).</summary>
    public const int TokenBytes = 32;

    public const int TokenLength = 43;

    /// <summary>The longest portal URL a clinic may set.</summary>
    public const int MaxPortalUrlLength = 500;

    /// <summary>The page of the patient's own pages, as <c>next</c> names it.</summary>
    public static string PagePath(PatientPage page, Guid? sessionId = null) => page switch
    {
        PatientPage.Sessions => "/patient/sessions",
        PatientPage.Absence => "/patient/absence",
        PatientPage.Makeups => "/patient/makeups",
        PatientPage.CatchUp when sessionId is { } id => $"/patient/catch-up/{id}",
        PatientPage.CatchUp => "/patient/makeups",
        PatientPage.TechnicalCheck => "/patient/technical-check",
        PatientPage.Preferences => "/patient/preferences",
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, "Not a patient page.")
    };

    /// <summary>
    /// The page a message to the patient opens: the session list for what is about a session to come, the catch-up of
    /// the session missed (or announced as missed), the makeups for what offers or books one, the technical check for help.
    /// </summary>
    /// <returns>The page's path, or null for a message that does not go to the patient.</returns>
    public static string? PageFor(DeliveryKind kind, Guid? sessionId) => kind switch
    {
        DeliveryKind.Reminder or DeliveryKind.JoinAlert or DeliveryKind.WaitlistPromoted or DeliveryKind.SessionCancelled
            or DeliveryKind.AttendanceSupport => PagePath(PatientPage.Sessions),
        DeliveryKind.MissedSession or DeliveryKind.AbsenceAcknowledged or DeliveryKind.CatchUpAssigned or DeliveryKind.HomeworkReminder
            => PagePath(PatientPage.CatchUp, sessionId),
        DeliveryKind.MakeupOptions or DeliveryKind.MakeupReopened or DeliveryKind.MakeupBooked => PagePath(PatientPage.Makeups),
        DeliveryKind.TechnicalSupport => PagePath(PatientPage.TechnicalCheck),
        _ => null
    };

    /// <summary>
    /// The page a reply to a patient's text opens: HELP the technical check, C the sessions, N the makeups (the decline
    /// itself is already recorded as an advance absence notice).
    /// </summary>
    public static string PageFor(InboundSmsCommand command) => command switch
    {
        InboundSmsCommand.Confirm => PagePath(PatientPage.Sessions),
        InboundSmsCommand.Decline => PagePath(PatientPage.Makeups),
        _ => PagePath(PatientPage.TechnicalCheck)
    };

    /// <summary>The personal link: the portal (its path kept, a trailing slash dropped), the token, then the page to open.</summary>
    public static string Build(string portal, string token, string page) =>
        $"{portal.TrimEnd('/')}{RedeemPath}{token}?{NextParameter}={page}";

    /// <summary>A token as it is handed out: base64url of <see cref="TokenBytes"/> random bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> random) => Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What is stored and looked up: the SHA-256 of the token's text.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Whether a link minted at <paramref name="expiresAt"/> is past use at <paramref name="now"/>.</summary>
    public static bool IsExpired(DateTimeOffset expiresAt, DateTimeOffset now) => expiresAt <= now;

    /// <summary>
    /// Checks a clinic's own portal URL: absolute http(s), no user name, query or fragment (the token and the page are
    /// appended). Outside Development it must also be https on a real host (<c>OutgoingUrls.Link</c> adds that check).
    /// </summary>
    /// <returns>What is wrong with it, or null when it will do.</returns>
    public static string? PortalUrlProblem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "A URL is required.";
        if (url.Length > MaxPortalUrlLength) return $"At most {MaxPortalUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return "An absolute http or https URL.";
        if (uri.UserInfo.Length > 0) return "No user name or password in the URL.";
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || url.Contains('?') || url.Contains('#'))
            return "No query or fragment: the personal link appends /p/{token}?next=… to it.";
        return null;
    }
}
