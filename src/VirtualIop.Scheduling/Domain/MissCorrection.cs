namespace VirtualIop.Scheduling.Domain;

/// <summary>Which of Attendance's corrected outcomes take a miss back.</summary>
public static class MissCorrection
{
    /// <summary>
    /// The patient was there after all (present, late or partial), or their absence is now excused: nothing is left to
    /// make up for the miss. An unexcused absence, a no-show, or an outcome this service does not know keeps the miss.
    /// </summary>
    public static bool UndoesMiss(string correctedOutcome) => correctedOutcome is "present" or "late" or "partial" or "excusedAbsence";
}
