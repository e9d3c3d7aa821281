namespace VirtualIop.Attendance.Domain;

/// <summary>What a check-in and the no-show sweep decide. Pure: the caller supplies the time.</summary>
public static class AttendanceRules
{
    /// <summary>A patient still pending this long after the session ended is a no-show.</summary>
    public static DateTimeOffset NoShowDueAt(DateTimeOffset sessionEndsAt, TimeSpan grace) => sessionEndsAt + grace;

    /// <summary>
    /// A check-in makes the patient present. It is accepted whenever it comes: a late arrival recorded
    /// after the sweep corrects the no-show (care teams would rather count a late patient than lose one).
    /// A repeated check-in changes nothing and keeps the first check-in time.
    /// </summary>
    public static CheckInDecision CheckIn(AttendanceRecord record, DateTimeOffset now) =>
        record.Outcome == AttendanceOutcome.Present
            ? new CheckInDecision(record, Attended: false)
            : new CheckInDecision(record with { Outcome = AttendanceOutcome.Present, CheckedInAt = now, DecidedAt = now }, Attended: true);

    /// <summary>
    /// The sweep decides only what is still open: pending becomes no-show; present and no-show stay.
    /// (NoShows.SweepDue applies exactly this in one SQL statement.)
    /// </summary>
    public static AttendanceOutcome AfterSweep(AttendanceOutcome outcome) =>
        outcome == AttendanceOutcome.Pending ? AttendanceOutcome.NoShow : outcome;

    /// <summary>A session is due for the sweep once its grace has passed.</summary>
    public static bool IsDueForSweep(DateTimeOffset noShowDueAt, DateTimeOffset now) => noShowDueAt <= now;
}

/// <param name="Record">The record after the check-in.</param>
/// <param name="Attended">True when this check-in made the patient present (SessionAttended is published once, then).</param>
public sealed record CheckInDecision(AttendanceRecord Record, bool Attended);
