namespace VirtualIop.Notification.Domain;

/// <summary>Which of Attendance's corrected outcomes take a miss back.</summary>
public static class MissCorrection
{
    /// <summary>Why a message about a miss that was taken back is not sent (the delivery's reason code).</summary>
    public const string Reason = "corrected";

    /// <summary>
    /// The patient was there after all (present, late or partial), or their absence is now excused: a "we missed you"
    /// or the makeup options for the miss no longer apply. An unexcused absence, a no-show, or an outcome this service
    /// does not know keeps the miss.
    /// </summary>
    public static bool UndoesMiss(string correctedOutcome) => correctedOutcome is "present" or "late" or "partial" or "excusedAbsence";
}
