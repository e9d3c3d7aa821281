namespace VirtualIop.Attendance.Domain;

/// <summary>One join-to-leave stretch of a participant in a session; LeftAt is null while they are still there.</summary>
public sealed record PresenceInterval(DateTimeOffset JoinedAt, DateTimeOffset? LeftAt)
{
    public bool IsOpen => LeftAt is null;
}

/// <summary>
/// One patient's attendance at one session. CheckedInAt is the first join, CheckedOutAt the last leave (null while
/// present). ReasonCategory, Notes, RecordedBy and RecordedAt document the last decision.
/// </summary>
public sealed record AttendanceRecord(
    Guid PatientId,
    AttendanceOutcome Outcome,
    DateTimeOffset? CheckedInAt,
    DateTimeOffset? CheckedOutAt,
    DateTimeOffset? DecidedAt,
    AbsenceReason? ReasonCategory = null,
    string? Notes = null,
    string? RecordedBy = null,
    DateTimeOffset? RecordedAt = null)
{
    public static AttendanceRecord Expected(Guid patientId) => new(patientId, AttendanceOutcome.Pending, null, null, null);
}

/// <summary>The session's time, which presence is measured against.</summary>
public sealed record SessionWindow(DateTimeOffset StartsAt, DateTimeOffset EndsAt)
{
    public TimeSpan Duration => EndsAt - StartsAt;
}

/// <summary>A record with the minutes attended so far.</summary>
public sealed record PatientAttendance(AttendanceRecord Record, int MinutesAttended);

/// <summary>A facilitator or stand-in clinician who joined: shown, never counted as a patient.</summary>
public sealed record StaffPresence(Guid StaffId, bool IsScheduledFacilitator, DateTimeOffset CheckedInAt, DateTimeOffset? CheckedOutAt, int MinutesAttended);

/// <summary>A session as Attendance knows it (from SessionScheduled), with its records.</summary>
public sealed record SessionAttendance(
    Guid SessionId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<PatientAttendance> Records,
    IReadOnlyList<StaffPresence> Staff);
