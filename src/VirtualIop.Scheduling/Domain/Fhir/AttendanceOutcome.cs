namespace VirtualIop.Scheduling.Domain.Fhir;

/// <summary>
/// What Attendance decided for one patient of one session, as Scheduling keeps it for the FHIR views. Attendance's own
/// outcomes (present, late, partial, excusedAbsence, unexcusedAbsence, noShow) collapse to these four: the FHIR views
/// only tell attended from absent, and an excused absence from one that is not.
/// </summary>
public enum AttendanceOutcome
{
    Attended,
    NoShow,
    ExcusedAbsence,
    UnexcusedAbsence
}

public static class AttendanceOutcomeRules
{
    /// <summary>The stored name: "attended", "noShow", ...</summary>
    public static string Name(this AttendanceOutcome outcome) => BuildingBlocks.Http.WireName.Of(outcome);

    /// <returns>The outcome an Attendance outcome name stands for; null for a name this service does not know (a newer one).</returns>
    public static AttendanceOutcome? FromAttendance(string outcome) => outcome switch
    {
        "present" or "late" or "partial" => AttendanceOutcome.Attended,
        "noShow" => AttendanceOutcome.NoShow,
        "excusedAbsence" => AttendanceOutcome.ExcusedAbsence,
        "unexcusedAbsence" => AttendanceOutcome.UnexcusedAbsence,
        _ => null
    };

    /// <summary>A notice given ahead of the session: excused or not, as the program's policy judged it.</summary>
    public static AttendanceOutcome FromNotice(bool excused) => excused ? AttendanceOutcome.ExcusedAbsence : AttendanceOutcome.UnexcusedAbsence;
}
