using System.Text.Json;

namespace VirtualIop.Attendance.Domain;

public enum AttendanceOutcome
{
    /// <summary>Not decided yet: the patient has not checked in and the sweep has not run.</summary>
    Pending,
    Present,
    NoShow
}

public static class AttendanceOutcomes
{
    /// <summary>The outcome as stored and sent: "pending", "present", "noShow".</summary>
    public static string Name(this AttendanceOutcome outcome) => JsonNamingPolicy.CamelCase.ConvertName(outcome.ToString());

    public static AttendanceOutcome Parse(string name) => Enum.Parse<AttendanceOutcome>(name, ignoreCase: true);
}
