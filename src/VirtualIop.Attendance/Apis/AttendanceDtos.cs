using VirtualIop.Attendance.Domain;

namespace VirtualIop.Attendance.Apis;

/// <summary><c>patientId</c> is optional on the wire so that a missing one is reported by name (400).</summary>
public sealed record CheckInRequest(Guid? PatientId);

public sealed record AttendanceRecordDto(Guid PatientId, AttendanceOutcome Outcome, DateTimeOffset? CheckedInAt, DateTimeOffset? DecidedAt)
{
    public static AttendanceRecordDto From(AttendanceRecord r) => new(r.PatientId, r.Outcome, r.CheckedInAt, r.DecidedAt);
}

public sealed record SessionAttendanceDto(
    Guid SessionId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    IReadOnlyList<AttendanceRecordDto> Records)
{
    public static SessionAttendanceDto From(SessionAttendance s) =>
        new(s.SessionId, s.StartsAt, s.EndsAt, s.TimeZone, s.Records.Select(AttendanceRecordDto.From).ToList());
}
