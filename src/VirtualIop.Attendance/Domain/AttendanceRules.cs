namespace VirtualIop.Attendance.Domain;

/// <summary>What a join, a leave, a recorded absence and the no-show sweep decide. Pure: the caller supplies the time.</summary>
public static class AttendanceRules
{
    /// <summary>A patient still pending this long after the session ended is a no-show.</summary>
    public static DateTimeOffset NoShowDueAt(DateTimeOffset sessionEndsAt, TimeSpan grace) => sessionEndsAt + grace;

    /// <summary>
    /// A join or a leave, in whatever order the marks arrive: the patient's stretches are paired again from all their
    /// marks (<see cref="PresenceRules.Pair"/>) and the outcome decided from them, so a leave taken in before its join
    /// ends as if both had come in order. A join is accepted whenever it comes: a late arrival recorded after the sweep
    /// corrects the no-show (care teams would rather count a late patient than lose one), and presence wins over a notice
    /// of absence. A mark seen before changes nothing; a new one that changes no stretch (a join while present, a leave
    /// while absent) is kept, for a join or leave still to come may pair with it, and changes no record.
    /// </summary>
    /// <param name="marks">The patient's marks taken in so far.</param>
    public static PresenceDecision Mark(AttendanceRecord record, SessionWindow session, IReadOnlyList<PresenceMark> marks, PresenceMark mark,
        PresenceThresholds thresholds, string recordedBy)
    {
        var before = PresenceRules.Pair(marks);
        if (marks.Contains(mark)) return new PresenceDecision(record, before, Kept: false, Changed: false, Attended: false);
        var after = PresenceRules.Pair(marks.Append(mark));
        if (after.SequenceEqual(before)) return new PresenceDecision(record, after, Kept: true, Changed: false, Attended: false);

        var outcome = PresenceRules.Outcome(session, after, thresholds);
        var attended = mark.Change == PresenceChange.Join && !record.Outcome.IsPresence();
        var decided = record with
        {
            Outcome = outcome,
            CheckedInAt = after.Min(i => i.JoinedAt),
            CheckedOutAt = after.Any(i => i.IsOpen) ? null : after.Max(i => i.LeftAt),
            DecidedAt = outcome == record.Outcome ? record.DecidedAt : mark.At,
            ReasonCategory = attended ? null : record.ReasonCategory,
            Notes = attended ? null : record.Notes,
            RecordedBy = recordedBy,
            RecordedAt = mark.At
        };
        return new PresenceDecision(decided, after, Kept: true, Changed: true, Attended: attended);
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
}

/// <param name="Record">The record after the join or leave.</param>
/// <param name="Intervals">The patient's stretches of presence, the new mark included.</param>
/// <param name="Kept">The mark is new and is stored, whether or not it changes anything yet.</param>
/// <param name="Changed">The stretches changed: they and the record are stored again.</param>
/// <param name="Attended">
/// True when this join made an absent or undecided patient attend (SessionAttended is published then, once, with the check-in
/// known at that moment: an earlier join that arrives later moves the record's CheckedInAt, not the event already out).
/// </param>
public sealed record PresenceDecision(AttendanceRecord Record, IReadOnlyList<PresenceInterval> Intervals, bool Kept, bool Changed, bool Attended);

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
