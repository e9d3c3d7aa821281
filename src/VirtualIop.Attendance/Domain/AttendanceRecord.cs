namespace VirtualIop.Attendance.Domain;

/// <summary>One patient's attendance at one session.</summary>
public sealed record AttendanceRecord(Guid PatientId, AttendanceOutcome Outcome, DateTimeOffset? CheckedInAt, DateTimeOffset? DecidedAt)
{
    public static AttendanceRecord Expected(Guid patientId) => new(patientId, AttendanceOutcome.Pending, null, null);
}

/// <summary>A session as Attendance knows it (from SessionScheduled), with its records.</summary>
public sealed record SessionAttendance(
    Guid SessionId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<AttendanceRecord> Records);
