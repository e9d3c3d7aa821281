using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Domain;

public enum AttendanceOutcome
{
    /// <summary>Not decided yet: the patient has not joined, given notice, or been swept.</summary>
    Pending,
    Present,
    /// <summary>Joined after the late threshold.</summary>
    Late,
    /// <summary>Attended fewer minutes than the partial threshold.</summary>
    Partial,
    ExcusedAbsence,
    UnexcusedAbsence,
    /// <summary>Absent without notice: always unexcused.</summary>
    NoShow
}

/// <summary>Why a patient was absent (or attended only in part).</summary>
public enum AbsenceReason
{
    TechnicalDifficulty,
    SchedulingConflict,
    Illness,
    Emergency,
    LowMotivation,
    Other
}

public static class AttendanceOutcomes
{
    /// <summary>The outcome as stored and sent: "pending", "present", "late", "partial", "excusedAbsence", "unexcusedAbsence", "noShow".</summary>
    public static string Name(this AttendanceOutcome outcome) => WireName.Of(outcome);

    public static string Name(this AbsenceReason reason) => WireName.Of(reason);

    public static AttendanceOutcome Parse(string name) => Enum.Parse<AttendanceOutcome>(name, ignoreCase: true);

    /// <summary>Parses a name exactly as sent on the wire (numbers and other spellings are refused).</summary>
    public static bool TryParse(string? name, out AttendanceOutcome outcome) => WireName.TryParse(name, out outcome);

    /// <summary>Parses a reason category exactly as sent on the wire ("illness", "lowMotivation", ...).</summary>
    public static bool TryParseReason(string? name, out AbsenceReason reason) => WireName.TryParse(name, out reason);

    public static AbsenceReason? ParseReason(string? name) => name is null ? null : Enum.Parse<AbsenceReason>(name, ignoreCase: true);

    /// <summary>The patient took part, at least in part.</summary>
    public static bool IsPresence(this AttendanceOutcome outcome) =>
        outcome is AttendanceOutcome.Present or AttendanceOutcome.Late or AttendanceOutcome.Partial;

    public static bool IsAbsence(this AttendanceOutcome outcome) =>
        outcome is AttendanceOutcome.ExcusedAbsence or AttendanceOutcome.UnexcusedAbsence or AttendanceOutcome.NoShow;
}
