namespace VirtualIop.Attendance.Domain;

/// <param name="LateAfter">A first join later than this after the start makes the patient late.</param>
/// <param name="PartialBelowPercent">A patient who has left with fewer minutes than this share of the session attended in part.</param>
public sealed record PresenceThresholds(TimeSpan LateAfter, int PartialBelowPercent)
{
    public static readonly PresenceThresholds Default = new(TimeSpan.FromMinutes(10), 75);
}

public enum PresenceChange
{
    Join,
    Leave
}

/// <summary>A participant joined or left at At (the platform's or the clock's time), whatever order it was taken in.</summary>
public sealed record PresenceMark(PresenceChange Change, DateTimeOffset At);

/// <summary>How joins and leaves add up to minutes and to an outcome. Pure: the caller supplies the time.</summary>
public static class PresenceRules
{
    /// <summary>
    /// The stretches a participant was present, from all their joins and leaves in any arrival order: the marks are
    /// replayed in time order (a join before a leave at the same instant), so the result is what in-order delivery gives.
    /// A leave closes the stretch opened by the earliest join since the participant was last out; a join while present
    /// and a leave while absent add nothing (a duplicate, or the same moment seen by the API and the platform). A leave
    /// earlier than every join is kept by the caller and pairs once its join arrives. Stretches never overlap; only the
    /// last may be open.
    /// </summary>
    public static IReadOnlyList<PresenceInterval> Pair(IEnumerable<PresenceMark> marks)
    {
        var stretches = new List<PresenceInterval>();
        DateTimeOffset? joinedAt = null;
        foreach (var mark in marks.Distinct().OrderBy(m => m.At).ThenBy(m => m.Change == PresenceChange.Join ? 0 : 1))
        {
            if (mark.Change == PresenceChange.Join)
            {
                joinedAt ??= mark.At;
            }
            else if (joinedAt is { } from)
            {
                stretches.Add(new PresenceInterval(from, mark.At));
                joinedAt = null;
            }
        }
        if (joinedAt is { } stillIn) stretches.Add(new PresenceInterval(stillIn, null));
        return stretches;
    }

    /// <summary>
    /// Whole minutes inside the session covered by at least one interval (overlaps, as from the API and the
    /// telehealth platform at once, count once). An open interval counts up to <paramref name="now"/>.
    /// </summary>
    public static int MinutesAttended(SessionWindow session, IEnumerable<PresenceInterval> intervals, DateTimeOffset now)
    {
        var covered = TimeSpan.Zero;
        DateTimeOffset? reach = null;
        foreach (var (from, to) in intervals
                     .Select(i => (From: Max(i.JoinedAt, session.StartsAt), To: Min(i.LeftAt ?? now, session.EndsAt)))
                     .Where(i => i.To > i.From)
                     .OrderBy(i => i.From))
        {
            var start = reach is { } r && r > from ? r : from;
            if (to > start) covered += to - start;
            if (reach is null || to > reach) reach = to;
        }
        return (int)covered.TotalMinutes;
    }

    /// <summary>
    /// The outcome of a patient who joined at least once: partial when they have left and their minutes fall below
    /// the threshold (while present, they are expected to stay to the end); else late when the first join came after
    /// the late threshold; else present.
    /// </summary>
    public static AttendanceOutcome Outcome(SessionWindow session, IReadOnlyList<PresenceInterval> intervals, PresenceThresholds thresholds)
    {
        if (intervals.Count == 0) throw new ArgumentException("An outcome from presence needs at least one join.", nameof(intervals));
        var stillThere = intervals.Any(i => i.IsOpen);
        var minutes = MinutesAttended(session, intervals, session.EndsAt);
        var needed = session.Duration.TotalMinutes * thresholds.PartialBelowPercent / 100.0;
        if (!stillThere && minutes < needed) return AttendanceOutcome.Partial;
        var firstJoin = intervals.Min(i => i.JoinedAt);
        return firstJoin > session.StartsAt + thresholds.LateAfter ? AttendanceOutcome.Late : AttendanceOutcome.Present;
    }

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
