namespace VirtualIop.Attendance.Domain;

/// <summary>What a join, a leave, a recorded absence and the no-show sweep decide. Pure: the caller supplies the time.</summary>
public static class AttendanceRules
{
    /// <summary>A patient still pending this long after the session ended is a no-show.</summary>
    public static DateTimeOffset NoShowDueAt(DateTimeOffset sessionEndsAt, TimeSpan grace) => sessionEndsAt + grace;

    /// <summary>
    /// A join opens a presence interval and decides the outcome from all of them. It is accepted whenever it comes:
    /// a late arrival recorded after the sweep corrects the no-show (care teams would rather count a late patient than
    /// lose one), and presence wins over a notice of absence. A join while already present changes nothing and keeps
    /// the first check-in time.
    /// </summary>
    public static PresenceDecision Join(AttendanceRecord record, SessionWindow session, IReadOnlyList<PresenceInterval> intervals,
        PresenceThresholds thresholds, DateTimeOffset now, string recordedBy)
    {
        if (intervals.Any(i => i.IsOpen)) return PresenceDecision.Unchanged(record);
        var after = intervals.Append(new PresenceInterval(now, null)).ToList();
        var outcome = PresenceRules.Outcome(session, after, thresholds);
        var wasAbsent = !record.Outcome.IsPresence();
        var decided = record with
        {
            Outcome = outcome,
            CheckedInAt = record.CheckedInAt ?? now,
            CheckedOutAt = null,
            DecidedAt = outcome == record.Outcome ? record.DecidedAt : now,
            ReasonCategory = wasAbsent ? null : record.ReasonCategory,
            Notes = wasAbsent ? null : record.Notes,
            RecordedBy = recordedBy,
            RecordedAt = now
        };
        return new PresenceDecision(decided, Joined: true, Left: false, Attended: wasAbsent);
    }

    /// <summary>A leave closes the open interval and decides again (a patient who leaves early may become partial). Without an open interval it changes nothing.</summary>
    public static PresenceDecision Leave(AttendanceRecord record, SessionWindow session, IReadOnlyList<PresenceInterval> intervals,
        PresenceThresholds thresholds, DateTimeOffset now, string recordedBy)
    {
        if (!intervals.Any(i => i.IsOpen)) return PresenceDecision.Unchanged(record);
        var after = intervals.Select(i => i.IsOpen ? i with { LeftAt = now } : i).ToList();
        var outcome = PresenceRules.Outcome(session, after, thresholds);
        var decided = record with
        {
            Outcome = outcome,
            CheckedOutAt = now,
            DecidedAt = outcome == record.Outcome ? record.DecidedAt : now,
            RecordedBy = recordedBy,
            RecordedAt = now
        };
        return new PresenceDecision(decided, Joined: false, Left: true, Attended: false);
    }

    /// <summary>
    /// Staff document an absence with its reason. Only an undecided patient or a no-show can be documented this way
    /// (a no-show stays a no-show: the reason explains it); changing any other decision is a correction.
    /// </summary>
    public static AbsenceDecision RecordAbsence(AttendanceRecord record, AttendanceOutcome outcome, AbsenceReason reason, string? notes,
        DateTimeOffset now, string recordedBy)
    {
        if (!outcome.IsAbsence()) throw new ArgumentException("Only an absence outcome can be recorded as an absence.", nameof(outcome));
        var allowed = record.Outcome == AttendanceOutcome.Pending
                      || (record.Outcome == AttendanceOutcome.NoShow && outcome == AttendanceOutcome.NoShow);
        if (!allowed) return new AbsenceDecision(record, Accepted: false);
        return new AbsenceDecision(record with
        {
            Outcome = outcome,
            DecidedAt = record.Outcome == outcome ? record.DecidedAt : now,
            ReasonCategory = reason,
            Notes = notes,
            RecordedBy = recordedBy,
            RecordedAt = now
        }, Accepted: true);
    }

    /// <summary>
    /// The sweep decides only what is still open: pending becomes no-show; everything decided stays.
    /// (NoShows.SweepDue applies exactly this in one SQL statement.)
    /// </summary>
    public static AttendanceOutcome AfterSweep(AttendanceOutcome outcome) =>
        outcome == AttendanceOutcome.Pending ? AttendanceOutcome.NoShow : outcome;

    /// <summary>A session is due for the sweep once its grace has passed.</summary>
    public static bool IsDueForSweep(DateTimeOffset noShowDueAt, DateTimeOffset now) => noShowDueAt <= now;
}

/// <param name="Record">The record after the join or leave.</param>
/// <param name="Joined">A new presence interval opens.</param>
/// <param name="Left">The open presence interval closes.</param>
/// <param name="Attended">True when this join made an absent or undecided patient attend (SessionAttended is published then).</param>
public sealed record PresenceDecision(AttendanceRecord Record, bool Joined, bool Left, bool Attended)
{
    public static PresenceDecision Unchanged(AttendanceRecord record) => new(record, false, false, false);
}

/// <param name="Accepted">False when the record's decision may only change through a correction.</param>
public sealed record AbsenceDecision(AttendanceRecord Record, bool Accepted);

/// <summary>A clinician's correction of a decided outcome. Pure.</summary>
public static class CorrectionRules
{
    /// <summary>
    /// The record after the correction: the new outcome and reason, decided now by the clinician. The previous
    /// decision is not lost: the caller keeps it in the correction history. Null when nothing would change, or when the
    /// outcome would go back to pending (a correction decides, it never undecides).
    /// </summary>
    public static AttendanceRecord? Correct(AttendanceRecord record, AttendanceOutcome outcome, AbsenceReason? reason, string? notes,
        DateTimeOffset now, string correctedBy)
    {
        if (outcome == AttendanceOutcome.Pending) return null;
        if (record.Outcome == outcome && record.ReasonCategory == reason) return null;
        return record with
        {
            Outcome = outcome,
            ReasonCategory = reason,
            Notes = notes ?? record.Notes,
            DecidedAt = now,
            RecordedBy = correctedBy,
            RecordedAt = now
        };
    }
}
