using VirtualIop.Attendance.Domain;

namespace VirtualIop.Attendance.Apis;

/// <summary>
/// A join or leave: exactly one of <c>patientId</c> (a patient of the session) or <c>staffId</c> (the facilitator or a
/// stand-in clinician, never counted as a patient). Optional on the wire so that a missing one is reported by name (400).
/// </summary>
public sealed record PresenceRequest(Guid? PatientId, Guid? StaffId);

/// <summary>Staff document a patient's absence: outcome is excusedAbsence, unexcusedAbsence or noShow.</summary>
public sealed record RecordAbsenceRequest(Guid? PatientId, string? Outcome, string? ReasonCategory, string? Notes);

/// <summary>A clinician's correction: the new outcome, its reason category, notes, and why it is corrected (explanation).</summary>
public sealed record CorrectionRequest(Guid? PatientId, string? Outcome, string? ReasonCategory, string? Notes, string? Explanation);

public sealed record AttendanceRecordDto(
    Guid PatientId,
    AttendanceOutcome Outcome,
    DateTimeOffset? CheckedInAt,
    DateTimeOffset? CheckedOutAt,
    int MinutesAttended,
    DateTimeOffset? DecidedAt,
    AbsenceReason? ReasonCategory,
    string? Notes,
    string? RecordedBy,
    DateTimeOffset? RecordedAt)
{
    public static AttendanceRecordDto From(AttendanceRecord r, int minutesAttended) =>
        new(r.PatientId, r.Outcome, r.CheckedInAt, r.CheckedOutAt, minutesAttended, r.DecidedAt, r.ReasonCategory, r.Notes, r.RecordedBy, r.RecordedAt);

    public static AttendanceRecordDto From(PatientAttendance a) => From(a.Record, a.MinutesAttended);
}

/// <param name="Role">facilitator (the session's scheduled clinician) or standIn.</param>
public sealed record StaffPresenceDto(Guid StaffId, string Role, DateTimeOffset CheckedInAt, DateTimeOffset? CheckedOutAt, int MinutesAttended)
{
    public static StaffPresenceDto From(StaffPresence s) =>
        new(s.StaffId, s.IsScheduledFacilitator ? "facilitator" : "standIn", s.CheckedInAt, s.CheckedOutAt, s.MinutesAttended);
}

public sealed record SessionAttendanceDto(
    Guid SessionId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<AttendanceRecordDto> Records,
    IReadOnlyList<StaffPresenceDto> Staff)
{
    public static SessionAttendanceDto From(SessionAttendance s) =>
        new(s.SessionId, s.StartsAt, s.EndsAt, s.TimeZone, s.Records.Select(AttendanceRecordDto.From).ToList(), s.Staff.Select(StaffPresenceDto.From).ToList());
}

/// <summary>
/// The answer (202) to a join or leave for a session Attendance has not heard of yet (Scheduling's SessionScheduled is
/// still on its way): the mark is held, with the time it was taken in, and applies when the session comes.
/// </summary>
public sealed record PresenceHeldDto(Guid SessionId, Guid? PatientId, Guid? StaffId, string Status, string Detail)
{
    public static PresenceHeldDto For(Guid sessionId, Guid? patientId, Guid? staffId) =>
        new(sessionId, patientId, staffId, "held",
            "The session is not known to Attendance yet; this check-in or check-out is held and applies, as of now, when the session is known.");
}
