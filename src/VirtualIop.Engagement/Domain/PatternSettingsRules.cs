namespace VirtualIop.Engagement.Domain;

/// <summary>
/// The ranges a program's pattern settings must stay in, so a rule can still fire and cannot fire on nothing: a run
/// of at least 2 misses, a high-risk run no shorter than the moderate one, a window of 7 to 90 days, an attendance
/// threshold above 0 and at most 100%, and so on. Field names are the JSON names.
/// </summary>
public static class PatternSettingsRules
{
    public static IReadOnlyList<(string Field, string Message)> Validate(PatternSettings s)
    {
        var errors = new List<(string, string)>();
        void Range(int value, int min, int max, string field)
        {
            if (value < min || value > max) errors.Add((field, $"Must be between {min} and {max}."));
        }

        Range(s.ConsecutiveMisses, 2, 10, "consecutiveMisses");
        Range(s.ConsecutiveMissesHigh, Math.Max(2, s.ConsecutiveMisses), 20, "consecutiveMissesHigh");
        Range(s.MissesInWindow, 2, 30, "missesInWindow");
        Range(s.WindowDays, 7, 90, "windowDays");
        if (s.AttendanceThreshold is <= 0m or > 1m) errors.Add(("attendanceThreshold", "Must be a fraction above 0 and at most 1 (0.75 is 75%)."));
        Range(s.MinimumSessionsForRate, 1, 50, "minimumSessionsForRate");
        Range(s.SameSlotAbsences, 2, 10, "sameSlotAbsences");
        Range(s.TechnicalDifficultyAbsences, 1, 10, "technicalDifficultyAbsences");
        Range(s.LowMotivationAbsences, 1, 10, "lowMotivationAbsences");
        Range(s.HomeworkOverdueDays, 0, 30, "homeworkOverdueDays");
        return errors;
    }
}
