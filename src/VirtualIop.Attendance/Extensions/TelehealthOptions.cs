using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Extensions;

/// <summary>
/// The telehealth platform's webhook (Attendance:Telehealth). Each clinic has its own secret,
/// <c>Attendance:Telehealth:Secrets:{clinicId}</c> (at least 32 characters), so one clinic's platform account can never
/// sign presence for another clinic. A clinic without a secret has its webhooks refused (401).
/// </summary>
public sealed class TelehealthOptions : ClinicWebhookOptions
{
    public const string SectionName = "Attendance:Telehealth";

    /// <summary>
    /// How long an event id is kept to recognise a replay. A captured request passes the signature check only while its
    /// signed timestamp is within MaxClockSkew of now (so for at most twice that after it was taken in), which minutes
    /// would cover; days, because the platform re-signs and redelivers an event it thinks unacknowledged for a long while
    /// after, and such a redelivery must still be answered as a duplicate rather than recorded again.
    /// </summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);
}
