namespace VirtualIop.Engagement.Domain;

/// <summary>
/// Engagement's copy of one patient's outcome of one session, built from Attendance's reports in whatever order they
/// arrive. Outcome, ReasonCategory, Precedence and DecidedAt are those of the report that holds (see
/// <see cref="OutcomeTimeline"/>); StartsAt and TimeZone come from the latest-decided report that names the session's
/// start (StartsAtDecidedAt null: no report named it yet, and StartsAt stands in with the earliest report's time, the
/// nearest to the start of those known); NoticeReason is the reason of the
/// latest absence notice, which explains an outcome whose own report gives none (a no-show after an unexcused notice).
/// </summary>
public sealed record OutcomeCopy(
    DateTimeOffset StartsAt,
    DateTimeOffset? StartsAtDecidedAt,
    string? TimeZone,
    AttendanceOutcome Outcome,
    string? ReasonCategory,
    int Precedence,
    DateTimeOffset DecidedAt,
    string? NoticeReason,
    DateTimeOffset? NoticeAt);

/// <summary>
/// Which of Attendance's reports about a patient's session holds, whatever order they arrive in: the one of higher
/// precedence (<see cref="OutcomeReport"/>: a correction above a check-in above a notice or the no-show sweep), and
/// among equals the later decided, so a correction made after another wins even when it arrives first, and a no-show
/// that arrives after the correction of it changes nothing. Times are compared to the millisecond (what PostgreSQL and
/// JSON keep); at the same millisecond the report giving less credit holds (missed, then excused, then attended).
/// </summary>
public static class OutcomeTimeline
{
    public static OutcomeCopy Apply(OutcomeCopy? current, OutcomeReport report)
    {
        var noticeReason = report.IsNotice ? report.ReasonCategory : null;
        if (current is null)
            return new(report.StartsAt ?? report.ReportedAt, report.StartsAt is null ? null : report.ReportedAt, report.TimeZone, report.Outcome,
                report.ReasonCategory, report.Precedence, report.ReportedAt, noticeReason, report.IsNotice ? report.ReportedAt : null);

        var copy = current;
        if (report.StartsAt is { } startsAt && (current.StartsAtDecidedAt is not { } startsDecided
                || Later(report.ReportedAt, startsDecided, startsAt.ToUnixTimeMilliseconds().CompareTo(current.StartsAt.ToUnixTimeMilliseconds()))))
            copy = copy with { StartsAt = startsAt, StartsAtDecidedAt = report.ReportedAt, TimeZone = report.TimeZone };
        else if (report.StartsAt is null && current.StartsAtDecidedAt is null && report.ReportedAt < current.StartsAt)
            copy = copy with { StartsAt = report.ReportedAt };
        if (report.IsNotice && (current.NoticeAt is not { } noticeAt
                || Later(report.ReportedAt, noticeAt, string.CompareOrdinal(report.ReasonCategory, current.NoticeReason))))
            copy = copy with { NoticeReason = report.ReasonCategory, NoticeAt = report.ReportedAt };

        var holds = Holds(report, current);
        var (outcome, precedence, decidedAt, ownReason) = holds
            ? (report.Outcome, report.Precedence, report.ReportedAt, report.ReasonCategory)
            : (current.Outcome, current.Precedence, current.DecidedAt, OwnReason(current));
        // A correction states the reason itself; any other report keeps the notice's reason when it gives none.
        var reason = precedence == OutcomeReport.CorrectionPrecedence ? ownReason : ownReason ?? copy.NoticeReason;
        return copy with { Outcome = outcome, Precedence = precedence, DecidedAt = decidedAt, ReasonCategory = reason };
    }

    /// <summary>Whether the report replaces the outcome the copy holds.</summary>
    public static bool Holds(OutcomeReport report, OutcomeCopy current)
    {
        if (report.Precedence != current.Precedence) return report.Precedence > current.Precedence;
        var (incoming, kept) = (Millis(report.ReportedAt), Millis(current.DecidedAt));
        if (incoming != kept) return incoming > kept;
        return Caution(report.Outcome) != Caution(current.Outcome)
            ? Caution(report.Outcome) > Caution(current.Outcome)
            : string.CompareOrdinal(report.ReasonCategory, OwnReason(current)) > 0;
    }

    /// <summary>The reason the holding report gave itself: a notice's or a correction's; a no-show or a check-in gives none.</summary>
    static string? OwnReason(OutcomeCopy copy) =>
        OutcomeReport.IsNoticePrecedence(copy.Precedence) || copy.Precedence == OutcomeReport.CorrectionPrecedence ? copy.ReasonCategory : null;

    /// <summary>Later to the millisecond; at the same millisecond <paramref name="tie"/> (incoming compared with kept) decides.</summary>
    static bool Later(DateTimeOffset incoming, DateTimeOffset kept, int tie) =>
        Millis(incoming) != Millis(kept) ? Millis(incoming) > Millis(kept) : tie > 0;

    static long Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    static int Caution(AttendanceOutcome outcome) => outcome switch
    {
        AttendanceOutcome.Attended => 0,
        AttendanceOutcome.Excused => 1,
        _ => 2
    };
}

/// <summary>What Engagement knows about a session and a patient's outcome of it when a no-show reaches it.</summary>
/// <param name="TakenBack">The latest correction the closing consumers kept takes the miss back (see <see cref="VirtualIop.Contracts.Attendance.AttendanceCorrected.UndoesMiss"/>).</param>
public sealed record MissContext(bool SessionCancelled, bool ParticipantRemoved, OutcomeCopy? Outcome, bool TakenBack = false);

/// <summary>
/// Whether a no-show opens the outreach and the catch-up it calls for: not for a session Engagement knows was cancelled
/// or a patient it knows was taken off the session, and not when an outcome that outranks the no-show is already
/// known (a correction to present or excused, a check-in, an excused notice), however late the no-show arrives.
/// </summary>
public static class MissEffects
{
    /// <summary>The outcome note of an outreach task closed because its miss was corrected.</summary>
    public const string CorrectedOutcome = "corrected";

    public static bool Warranted(MissContext known, OutcomeReport miss) =>
        !known.SessionCancelled && !known.ParticipantRemoved && !known.TakenBack
        && (known.Outcome is null || OutcomeTimeline.Apply(known.Outcome, miss).Outcome == AttendanceOutcome.Missed);
}
