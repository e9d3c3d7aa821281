using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class PatternSettingsRulesTests
{
    static readonly PatternSettings Defaults = new();

    static IEnumerable<string> Fields(PatternSettings s) => PatternSettingsRules.Validate(s).Select(e => e.Field);

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(PatternSettingsRules.Validate(Defaults));
    }

    [Fact]
    public void A_run_of_misses_needs_at_least_two_and_at_most_ten()
    {
        Assert.Contains("consecutiveMisses", Fields(Defaults with { ConsecutiveMisses = 1 }));
        Assert.Empty(Fields(Defaults with { ConsecutiveMisses = 2 }));
        Assert.Empty(Fields(Defaults with { ConsecutiveMisses = 10, ConsecutiveMissesHigh = 10 }));
        Assert.Contains("consecutiveMisses", Fields(Defaults with { ConsecutiveMisses = 11, ConsecutiveMissesHigh = 12 }));
    }

    [Fact]
    public void The_high_risk_run_cannot_be_shorter_than_the_moderate_one()
    {
        Assert.Contains("consecutiveMissesHigh", Fields(Defaults with { ConsecutiveMisses = 4, ConsecutiveMissesHigh = 3 }));
        Assert.Empty(Fields(Defaults with { ConsecutiveMisses = 4, ConsecutiveMissesHigh = 4 }));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0.001, true)]
    [InlineData(1, true)]
    [InlineData(1.001, false)]
    public void The_attendance_threshold_is_a_fraction_above_zero_and_at_most_one(double threshold, bool valid)
    {
        Assert.Equal(valid, !Fields(Defaults with { AttendanceThreshold = (decimal)threshold }).Contains("attendanceThreshold"));
    }

    [Theory]
    [InlineData(6, false)]
    [InlineData(7, true)]
    [InlineData(90, true)]
    [InlineData(91, false)]
    public void The_window_is_one_week_to_ninety_days(int days, bool valid)
    {
        Assert.Equal(valid, !Fields(Defaults with { WindowDays = days }).Contains("windowDays"));
    }

    [Fact]
    public void Every_field_out_of_range_is_named()
    {
        var fields = Fields(new PatternSettings
        {
            ConsecutiveMisses = 0, ConsecutiveMissesHigh = 0, MissesInWindow = 1, WindowDays = 0, AttendanceThreshold = 2, MinimumSessionsForRate = 0,
            SameSlotAbsences = 1, TechnicalDifficultyAbsences = 0, LowMotivationAbsences = 0, HomeworkOverdueDays = -1
        });

        Assert.Equal(
            ["consecutiveMisses", "consecutiveMissesHigh", "missesInWindow", "windowDays", "attendanceThreshold", "minimumSessionsForRate",
             "sameSlotAbsences", "technicalDifficultyAbsences", "lowMotivationAbsences", "homeworkOverdueDays"], fields);
    }

    [Fact]
    public void A_program_that_counts_three_misses_in_a_row_is_not_worried_by_two()
    {
        var now = new DateTimeOffset(2026, 12, 2, 17, 0, 0, TimeSpan.Zero);
        SessionOutcome Missed(int daysAgo) => new(Guid.NewGuid(), now.AddDays(-daysAgo), "UTC", AttendanceOutcome.Missed, null);
        var strict = Defaults with { ConsecutiveMisses = 3, ConsecutiveMissesHigh = 4 };

        Assert.Equal(RiskLevel.Moderate, EngagementPatterns.Evaluate(Defaults, [Missed(3), Missed(1)], now).Level);
        Assert.Equal(RiskLevel.None, EngagementPatterns.Evaluate(strict, [Missed(3), Missed(1)], now).Level);
        Assert.Equal(RiskLevel.Moderate, EngagementPatterns.Evaluate(strict, [Missed(5), Missed(3), Missed(1)], now).Level);
    }
}
