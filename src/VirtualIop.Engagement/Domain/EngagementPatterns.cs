namespace VirtualIop.Engagement.Domain;

/// <summary>The thresholds of the pattern rules (configuration section Engagement:Patterns).</summary>
public sealed record PatternSettings
{
    /// <summary>This many misses in a row (excused absences in between neither count nor break the run) is moderate risk...</summary>
    public int ConsecutiveMisses { get; init; } = 2;

    /// <summary>...and this many is high.</summary>
    public int ConsecutiveMissesHigh { get; init; } = 3;

    /// <summary>This many misses within <see cref="WindowDays"/> is moderate risk.</summary>
    public int MissesInWindow { get; init; } = 3;

    /// <summary>The rolling window, in days before now, that the window rules look at.</summary>
    public int WindowDays { get; init; } = 28;

    /// <summary>An attendance rate below this over the window (with at least <see cref="MinimumSessionsForRate"/> sessions) is moderate risk.</summary>
    public decimal AttendanceThreshold { get; init; } = 0.75m;

    public int MinimumSessionsForRate { get; init; } = 4;

    /// <summary>This many absences in the window at the same local weekday and hour suggest a slot conflict (low risk).</summary>
    public int SameSlotAbsences { get; init; } = 2;

    /// <summary>This many technical-difficulty absences in the window call for technical support, not counselling (low risk).</summary>
    public int TechnicalDifficultyAbsences { get; init; } = 2;

    /// <summary>This many absences in the window put down to low motivation is moderate risk, calling for motivational interviewing.</summary>
    public int LowMotivationAbsences { get; init; } = 2;

    /// <summary>Whether high risk with repeated low motivation suggests involving family or support (still only under a valid consent).</summary>
    public bool SuggestFamilyInvolvement { get; init; } = true;

    /// <summary>Homework from a missed session still not done this many days after its due date is a (low) signal.</summary>
    public int HomeworkOverdueDays { get; init; } = 2;
}

/// <summary>Homework a patient was given with a missed session's content: when it was due and whether it is done.</summary>
public sealed record HomeworkState(Guid SessionId, DateOnly DueOn, bool Done);

/// <summary>One rule that fired: its name, the level it suggests, why, and the sessions it is about.</summary>
public sealed record RiskSignal(string Rule, RiskLevel Level, string Explanation, IReadOnlyList<Guid> SessionIds);

/// <summary>A patient's risk: the highest level among the signals, and the signals that explain it.</summary>
public sealed record RiskAssessment(RiskLevel Level, IReadOnlyList<RiskSignal> Signals)
{
    public static readonly RiskAssessment None = new(RiskLevel.None, []);
}

/// <summary>
/// The pattern rules. They look at a patient's sessions up to now (any order) and say how worried to be and why;
/// sessions that have not started yet are ignored.
/// </summary>
public static class EngagementPatterns
{
    public const string ConsecutiveMisses = "consecutiveMisses";
    public const string MissesInWindow = "missesInWindow";
    public const string AttendanceBelowThreshold = "attendanceBelowThreshold";
    public const string SameSlotAbsences = "sameSlotAbsences";
    public const string TechnicalDifficulties = "technicalDifficulties";
    public const string RepeatedLowMotivation = "repeatedLowMotivation";
    public const string HomeworkOverdue = "homeworkOverdue";

    public static RiskAssessment Evaluate(PatternSettings settings, IReadOnlyCollection<SessionOutcome> sessions, DateTimeOffset now,
        IReadOnlyCollection<HomeworkState>? homework = null)
    {
        var past = sessions.Where(s => s.StartsAt <= now).OrderBy(s => s.StartsAt).ThenBy(s => s.SessionId).ToList();
        var window = past.Where(s => s.StartsAt > now.AddDays(-settings.WindowDays)).ToList();
        var signals = new[]
        {
            Consecutive(settings, past),
            InWindow(settings, window),
            Rate(settings, window),
            SameSlot(settings, window),
            Technical(settings, window),
            LowMotivation(settings, window),
            Homework(settings, homework ?? [], now)
        }.OfType<RiskSignal>().ToList();
        return signals.Count == 0 ? RiskAssessment.None : new RiskAssessment(signals.Max(s => s.Level), signals);
    }

    static RiskSignal? Consecutive(PatternSettings settings, List<SessionOutcome> past)
    {
        var run = new List<Guid>();
        for (var i = past.Count - 1; i >= 0 && past[i].Outcome != AttendanceOutcome.Attended; i--)
            if (past[i].Outcome == AttendanceOutcome.Missed) run.Insert(0, past[i].SessionId);
        if (run.Count < settings.ConsecutiveMisses) return null;
        return new RiskSignal(ConsecutiveMisses, run.Count >= settings.ConsecutiveMissesHigh ? RiskLevel.High : RiskLevel.Moderate,
            $"{run.Count} sessions missed in a row since the last one attended.", run);
    }

    static RiskSignal? InWindow(PatternSettings settings, List<SessionOutcome> window)
    {
        var misses = window.Where(s => s.Outcome == AttendanceOutcome.Missed).Select(s => s.SessionId).ToList();
        return misses.Count < settings.MissesInWindow ? null
            : new RiskSignal(MissesInWindow, RiskLevel.Moderate, $"{misses.Count} sessions missed in the last {settings.WindowDays} days.", misses);
    }

    static RiskSignal? Rate(PatternSettings settings, List<SessionOutcome> window)
    {
        if (window.Count < settings.MinimumSessionsForRate) return null;
        var attended = window.Count(s => s.Outcome == AttendanceOutcome.Attended);
        var rate = (decimal)attended / window.Count;
        return rate >= settings.AttendanceThreshold ? null
            : new RiskSignal(AttendanceBelowThreshold, RiskLevel.Moderate,
                $"Attended {attended} of {window.Count} sessions in the last {settings.WindowDays} days ({(int)Math.Round(rate * 100)}%), below {(int)Math.Round(settings.AttendanceThreshold * 100)}%.",
                window.Where(s => s.Outcome != AttendanceOutcome.Attended).Select(s => s.SessionId).ToList());
    }

    static RiskSignal? SameSlot(PatternSettings settings, List<SessionOutcome> window)
    {
        var slot = window
            .Where(s => s.Outcome != AttendanceOutcome.Attended)
            .GroupBy(s => LocalSlot(s))
            .Where(g => g.Count() >= settings.SameSlotAbsences)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .FirstOrDefault();
        return slot is null ? null
            : new RiskSignal(SameSlotAbsences, RiskLevel.Low,
                $"{slot.Count()} absences on {slot.Key.Day}s at {slot.Key.Hour:00}:00 local time: the slot may conflict with something regular.",
                slot.Select(s => s.SessionId).ToList());
    }

    static RiskSignal? Technical(PatternSettings settings, List<SessionOutcome> window)
    {
        var technical = window
            .Where(s => s.Outcome != AttendanceOutcome.Attended && s.ReasonCategory == "technicalDifficulty")
            .Select(s => s.SessionId).ToList();
        return technical.Count < settings.TechnicalDifficultyAbsences ? null
            : new RiskSignal(TechnicalDifficulties, RiskLevel.Low,
                $"{technical.Count} absences put down to technical difficulty in the last {settings.WindowDays} days: offer technical support.", technical);
    }

    static RiskSignal? LowMotivation(PatternSettings settings, List<SessionOutcome> window)
    {
        var unmotivated = window
            .Where(s => s.Outcome != AttendanceOutcome.Attended && s.ReasonCategory == "lowMotivation")
            .Select(s => s.SessionId).ToList();
        return unmotivated.Count < settings.LowMotivationAbsences ? null
            : new RiskSignal(RepeatedLowMotivation, RiskLevel.Moderate,
                $"{unmotivated.Count} absences put down to low motivation in the last {settings.WindowDays} days.", unmotivated);
    }

    /// <summary>
    /// The instant homework turns overdue: the start of the first day after its due date plus the grace days, in UTC
    /// (no clinic or program time zone is known here). The overdue-homework worker's SQL computes the same instant.
    /// </summary>
    public static DateTimeOffset HomeworkOverdueFrom(DateOnly dueOn, int overdueDays) =>
        new(dueOn.AddDays(overdueDays + 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    static RiskSignal? Homework(PatternSettings settings, IReadOnlyCollection<HomeworkState> homework, DateTimeOffset now)
    {
        var overdue = homework.Where(h => !h.Done && HomeworkOverdueFrom(h.DueOn, settings.HomeworkOverdueDays) <= now)
            .OrderBy(h => h.DueOn).ThenBy(h => h.SessionId).Select(h => h.SessionId).ToList();
        return overdue.Count == 0 ? null
            : new RiskSignal(HomeworkOverdue, RiskLevel.Low,
                $"Homework from {overdue.Count} missed session(s) not done more than {settings.HomeworkOverdueDays} days after it was due.", overdue);
    }

    static (DayOfWeek Day, int Hour) LocalSlot(SessionOutcome session)
    {
        var zone = session.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(session.StartsAt, zone);
        return (local.DayOfWeek, local.Hour);
    }
}
