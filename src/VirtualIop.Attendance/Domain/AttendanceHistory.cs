namespace VirtualIop.Attendance.Domain;

/// <summary>One patient's decided outcome of an imported session, with the minutes the previous system recorded, if any.</summary>
public sealed record ImportedRecord(Guid PatientId, AttendanceOutcome Outcome, AbsenceReason? ReasonCategory, int? MinutesAttended);

/// <summary>A past session of a cohort, as the clinic's previous system kept it (its id is the clinic's).</summary>
public sealed record ImportedSession(Guid SessionId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<ImportedRecord> Records);

/// <summary>
/// What attendance history a clinic may bring along when it moves onto VirtualIop: sessions that are over, from the
/// last <see cref="MaxAgeDays"/> days (older ones fall outside every policy window and every default read), in bounded batches.
/// </summary>
public static class AttendanceHistory
{
    public const int MaxAgeDays = 180;

    public const int MaxSessions = 100;

    public const int MaxRecordsPerSession = 100;

    /// <summary>The longest session imported: a long IOP day.</summary>
    public const int MaxDurationMinutes = 720;

    /// <summary>The session is over: it ended at or before now.</summary>
    public static bool HasEnded(DateTimeOffset endsAt, DateTimeOffset now) => endsAt <= now;

    /// <summary>The session started no more than <see cref="MaxAgeDays"/> days before now.</summary>
    public static bool IsRecentEnough(DateTimeOffset startsAt, DateTimeOffset now) => startsAt >= now.AddDays(-MaxAgeDays);

    /// <summary>Every outcome but pending: history is decided.</summary>
    public static bool IsImportable(AttendanceOutcome outcome) => outcome != AttendanceOutcome.Pending;
}
