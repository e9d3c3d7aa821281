namespace VirtualIop.Engagement.Domain;

/// <summary>
/// What one of Attendance's events says about a patient's session. Events can arrive in any order, so each source
/// has a precedence and a report only replaces one of lower precedence, or of the same precedence decided earlier:
/// an unexcused notice (1) &lt; a no-show (2) &lt; an excused notice (3) &lt; a check-in (4) &lt; a clinician's correction (5).
/// A late check-in therefore wins over the no-show sweep, and a correction wins over everything (Domain: OutcomeTimeline).
/// </summary>
/// <param name="StartsAt">When the session started; null when the event does not say (a check-in), then the first known time is kept.</param>
public sealed record OutcomeReport(
    Guid ClinicId,
    Guid PatientId,
    Guid SessionId,
    DateTimeOffset? StartsAt,
    DateTimeOffset ReportedAt,
    string? TimeZone,
    AttendanceOutcome Outcome,
    string? ReasonCategory,
    int Precedence)
{
    public const int CorrectionPrecedence = 5;

    public bool IsCorrection => Precedence == CorrectionPrecedence;

    /// <summary>An absence notice, excused or not: the reports that carry the patient's reason before any correction.</summary>
    public bool IsNotice => IsNoticePrecedence(Precedence);

    public static bool IsNoticePrecedence(int precedence) => precedence is 1 or 3;

    public static OutcomeReport Missed(Guid clinic, Guid patient, Guid session, DateTimeOffset startsAt, string timeZone, DateTimeOffset detectedAt) =>
        new(clinic, patient, session, startsAt, detectedAt, timeZone, AttendanceOutcome.Missed, null, 2);

    public static OutcomeReport Attended(Guid clinic, Guid patient, Guid session, DateTimeOffset checkedInAt) =>
        new(clinic, patient, session, null, checkedInAt, null, AttendanceOutcome.Attended, null, 4);

    public static OutcomeReport Notice(Guid clinic, Guid patient, Guid session, DateTimeOffset startsAt, string timeZone, bool excused, string reasonCategory, DateTimeOffset notifiedAt) =>
        excused
            ? new(clinic, patient, session, startsAt, notifiedAt, timeZone, AttendanceOutcome.Excused, reasonCategory, 3)
            : new(clinic, patient, session, startsAt, notifiedAt, timeZone, AttendanceOutcome.Missed, reasonCategory, 1);

    /// <summary>A clinician's correction; null when Attendance sent an outcome this service does not know.</summary>
    public static OutcomeReport? Correction(Guid clinic, Guid patient, Guid session, string outcome, string? reasonCategory, DateTimeOffset correctedAt) =>
        OfCorrectedOutcome(outcome) is { } o
            ? new(clinic, patient, session, null, correctedAt, null, o, reasonCategory, CorrectionPrecedence)
            : null;

    /// <summary>present, late and partial count as attended; an excused absence as excused; an unexcused absence and a no-show as missed.</summary>
    public static AttendanceOutcome? OfCorrectedOutcome(string outcome) => outcome switch
    {
        "present" or "late" or "partial" => AttendanceOutcome.Attended,
        "excusedAbsence" => AttendanceOutcome.Excused,
        "unexcusedAbsence" or "noShow" => AttendanceOutcome.Missed,
        _ => null
    };
}
