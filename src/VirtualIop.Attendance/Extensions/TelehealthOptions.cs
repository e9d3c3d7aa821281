namespace VirtualIop.Attendance.Extensions;

/// <summary>
/// The telehealth platform's webhook (Attendance:Telehealth). Each clinic has its own secret,
/// <c>Attendance:Telehealth:Secrets:{clinicId}</c> (at least 32 characters), so one clinic's platform account can never
/// sign presence for another clinic. A clinic without a secret has its webhooks refused (401).
/// </summary>
public sealed class TelehealthOptions
{
    public const string SectionName = "Attendance:Telehealth";

    /// <summary>The HMAC-SHA256 secret per clinic id.</summary>
    public Dictionary<string, string> Secrets { get; set; } = [];

    /// <summary>How far the signed timestamp may be from now, either way, before the request is refused as stale.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an event id is kept to recognise a replay. A captured request passes the signature check only while its
    /// signed timestamp is within MaxClockSkew of now (so for at most twice that after it was taken in), which minutes
    /// would cover; days, because the platform re-signs and redelivers an event it thinks unacknowledged for a long while
    /// after, and such a redelivery must still be answered as a duplicate rather than recorded again.
    /// </summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    public string? SecretFor(Guid clinicId) =>
        Secrets.FirstOrDefault(s => Guid.TryParse(s.Key, out var id) && id == clinicId).Value is { Length: > 0 } secret ? secret : null;
}
