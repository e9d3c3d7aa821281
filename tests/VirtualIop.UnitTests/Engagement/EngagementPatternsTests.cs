using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class EngagementPatternsTests
{
    static readonly PatternSettings Defaults = new();
    // A Wednesday noon in New York.
    static readonly DateTimeOffset Now = new(2026, 12, 2, 17, 0, 0, TimeSpan.Zero);

    static SessionOutcome Session(double daysAgo, AttendanceOutcome outcome, string? reason = null, string zone = "America/New_York") =>
        new(Guid.NewGuid(), Now.AddDays(-daysAgo), zone, outcome, reason);

    static RiskSignal? Signal(RiskAssessment risk, string rule) => risk.Signals.SingleOrDefault(s => s.Rule == rule);

    [Fact]
    public void Steady_attendance_raises_no_risk()
    {
        var sessions = Enumerable.Range(1, 8).Select(d => Session(d * 1.5, AttendanceOutcome.Attended)).ToList();

        Assert.Equal(RiskAssessment.None, EngagementPatterns.Evaluate(Defaults, sessions, Now));
    }

    [Fact]
    public void One_miss_after_attended_sessions_is_not_a_pattern()
    {
        var risk = EngagementPatterns.Evaluate(Defaults, [Session(5, AttendanceOutcome.Attended), Session(3, AttendanceOutcome.Attended), Session(1, AttendanceOutcome.Missed)], Now);

        Assert.Equal(RiskLevel.None, risk.Level);
    }

    [Fact]
    public void The_second_miss_in_a_row_is_moderate_risk_and_names_both_sessions()
    {
        var first = Session(3, AttendanceOutcome.Missed);
        var second = Session(1, AttendanceOutcome.Missed);

        var risk = EngagementPatterns.Evaluate(Defaults, [Session(5, AttendanceOutcome.Attended), second, first], Now);

        Assert.Equal(RiskLevel.Moderate, risk.Level);
        Assert.Equal([first.SessionId, second.SessionId], Signal(risk, EngagementPatterns.ConsecutiveMisses)!.SessionIds);
    }

    [Fact]
    public void The_third_miss_in_a_row_is_high_risk()
    {
        var risk = EngagementPatterns.Evaluate(Defaults,
            [Session(5, AttendanceOutcome.Missed), Session(3, AttendanceOutcome.Missed), Session(1, AttendanceOutcome.Missed)], Now);

        Assert.Equal(RiskLevel.High, risk.Level);
        Assert.Equal(RiskLevel.High, Signal(risk, EngagementPatterns.ConsecutiveMisses)!.Level);
    }

    [Fact]
    public void An_excused_absence_between_misses_neither_counts_nor_breaks_the_run_but_attending_does()
    {
        var throughExcused = EngagementPatterns.Evaluate(Defaults,
            [Session(5, AttendanceOutcome.Missed), Session(3, AttendanceOutcome.Excused, "illness"), Session(1, AttendanceOutcome.Missed)], Now);
        var brokenByAttending = EngagementPatterns.Evaluate(Defaults,
            [Session(5, AttendanceOutcome.Missed), Session(3, AttendanceOutcome.Attended), Session(1, AttendanceOutcome.Missed)], Now);

        Assert.Equal(2, Signal(throughExcused, EngagementPatterns.ConsecutiveMisses)!.SessionIds.Count);
        Assert.Null(Signal(brokenByAttending, EngagementPatterns.ConsecutiveMisses));
    }

    [Fact]
    public void Three_misses_within_the_window_are_moderate_risk_even_with_attended_sessions_between()
    {
        var sessions = new[]
        {
            Session(20, AttendanceOutcome.Missed), Session(15, AttendanceOutcome.Attended), Session(10, AttendanceOutcome.Missed),
            Session(5, AttendanceOutcome.Attended), Session(2, AttendanceOutcome.Missed), Session(1, AttendanceOutcome.Attended)
        };

        var risk = EngagementPatterns.Evaluate(Defaults with { AttendanceThreshold = 0.4m }, sessions, Now);

        Assert.Equal(RiskLevel.Moderate, risk.Level);
        Assert.Equal(3, Signal(risk, EngagementPatterns.MissesInWindow)!.SessionIds.Count);
    }

    [Fact]
    public void A_miss_exactly_a_window_ago_has_left_the_window()
    {
        var sessions = new[] { Session(28, AttendanceOutcome.Missed), Session(10, AttendanceOutcome.Missed), Session(2, AttendanceOutcome.Missed), Session(1, AttendanceOutcome.Attended) };

        Assert.Null(Signal(EngagementPatterns.Evaluate(Defaults, sessions, Now), EngagementPatterns.MissesInWindow));
        Assert.NotNull(Signal(EngagementPatterns.Evaluate(Defaults, sessions, Now.AddSeconds(-1)), EngagementPatterns.MissesInWindow));
    }

    [Fact]
    public void Attending_fewer_than_three_in_four_sessions_is_below_the_threshold_and_exactly_three_is_not()
    {
        var twoOfFour = new[] { Session(9, AttendanceOutcome.Attended), Session(7, AttendanceOutcome.Excused, "illness"), Session(5, AttendanceOutcome.Attended), Session(1, AttendanceOutcome.Excused, "illness") };
        var threeOfFour = new[] { Session(9, AttendanceOutcome.Attended), Session(7, AttendanceOutcome.Attended), Session(5, AttendanceOutcome.Excused, "illness"), Session(1, AttendanceOutcome.Attended) };

        var low = EngagementPatterns.Evaluate(Defaults, twoOfFour, Now);

        Assert.Equal(RiskLevel.Moderate, Signal(low, EngagementPatterns.AttendanceBelowThreshold)!.Level);
        Assert.Contains("2 of 4", Signal(low, EngagementPatterns.AttendanceBelowThreshold)!.Explanation);
        Assert.Null(Signal(EngagementPatterns.Evaluate(Defaults, threeOfFour, Now), EngagementPatterns.AttendanceBelowThreshold));
    }

    [Fact]
    public void The_rate_is_not_judged_on_too_few_sessions()
    {
        var risk = EngagementPatterns.Evaluate(Defaults, [Session(3, AttendanceOutcome.Excused, "illness"), Session(1, AttendanceOutcome.Attended)], Now);

        Assert.Null(Signal(risk, EngagementPatterns.AttendanceBelowThreshold));
    }

    [Fact]
    public void Absences_on_the_same_local_weekday_and_hour_suggest_a_slot_conflict()
    {
        var weekAgo = Session(7, AttendanceOutcome.Excused, "schedulingConflict");
        var today = Session(0, AttendanceOutcome.Missed);

        var risk = EngagementPatterns.Evaluate(Defaults, [weekAgo, Session(3, AttendanceOutcome.Attended), today], Now);

        var slot = Signal(risk, EngagementPatterns.SameSlotAbsences)!;
        Assert.Equal(RiskLevel.Low, slot.Level);
        Assert.Equal([weekAgo.SessionId, today.SessionId], slot.SessionIds);
        Assert.Contains("Wednesdays at 12:00", slot.Explanation);
    }

    [Fact]
    public void The_slot_is_read_in_the_sessions_time_zone_so_a_clock_change_does_not_split_it()
    {
        // 17:00 UTC is noon in New York in winter; 16:00 UTC is noon in summer time.
        var summer = new SessionOutcome(Guid.NewGuid(), new DateTimeOffset(2026, 10, 28, 16, 0, 0, TimeSpan.Zero), "America/New_York", AttendanceOutcome.Missed, null);
        var winter = new SessionOutcome(Guid.NewGuid(), new DateTimeOffset(2026, 11, 4, 17, 0, 0, TimeSpan.Zero), "America/New_York", AttendanceOutcome.Missed, null);
        var now = new DateTimeOffset(2026, 11, 5, 0, 0, 0, TimeSpan.Zero);

        Assert.NotNull(Signal(EngagementPatterns.Evaluate(Defaults, [summer, winter], now), EngagementPatterns.SameSlotAbsences));
    }

    [Fact]
    public void Repeated_technical_difficulties_call_for_technical_support_at_low_risk()
    {
        var risk = EngagementPatterns.Evaluate(Defaults,
            [Session(6, AttendanceOutcome.Excused, "technicalDifficulty"), Session(4, AttendanceOutcome.Attended), Session(2, AttendanceOutcome.Excused, "technicalDifficulty", "Europe/London")], Now);

        Assert.Equal(RiskLevel.Low, risk.Level);
        Assert.Contains("technical support", Signal(risk, EngagementPatterns.TechnicalDifficulties)!.Explanation);
    }

    [Fact]
    public void Sessions_that_have_not_started_yet_are_not_judged()
    {
        var risk = EngagementPatterns.Evaluate(Defaults, [Session(1, AttendanceOutcome.Missed), Session(-1, AttendanceOutcome.Missed), Session(-2, AttendanceOutcome.Missed)], Now);

        Assert.Equal(RiskLevel.None, risk.Level);
    }

    [Fact]
    public void The_level_is_the_highest_of_the_signals_and_every_signal_is_kept_as_explanation()
    {
        var sessions = new[]
        {
            Session(21, AttendanceOutcome.Missed, "technicalDifficulty"), Session(14, AttendanceOutcome.Missed, "technicalDifficulty"),
            Session(7, AttendanceOutcome.Missed), Session(0, AttendanceOutcome.Missed)
        };

        var risk = EngagementPatterns.Evaluate(Defaults, sessions, Now);

        Assert.Equal(RiskLevel.High, risk.Level);
        Assert.Equal(
            [EngagementPatterns.ConsecutiveMisses, EngagementPatterns.MissesInWindow, EngagementPatterns.AttendanceBelowThreshold, EngagementPatterns.SameSlotAbsences, EngagementPatterns.TechnicalDifficulties],
            risk.Signals.Select(s => s.Rule));
    }

    [Theory]
    [InlineData("present", AttendanceOutcome.Attended)]
    [InlineData("late", AttendanceOutcome.Attended)]
    [InlineData("partial", AttendanceOutcome.Attended)]
    [InlineData("excusedAbsence", AttendanceOutcome.Excused)]
    [InlineData("unexcusedAbsence", AttendanceOutcome.Missed)]
    [InlineData("noShow", AttendanceOutcome.Missed)]
    public void A_corrected_outcome_counts_as_what_it_means_for_engagement(string corrected, AttendanceOutcome expected)
    {
        Assert.Equal(expected, OutcomeReport.OfCorrectedOutcome(corrected));
    }

    [Fact]
    public void A_late_check_in_outranks_the_no_show_and_a_correction_outranks_everything()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var missed = OutcomeReport.Missed(clinic, patient, session, Now, "UTC", Now);
        var attended = OutcomeReport.Attended(clinic, patient, session, Now);
        var excused = OutcomeReport.Notice(clinic, patient, session, Now, "UTC", true, "illness", Now);
        var unexcused = OutcomeReport.Notice(clinic, patient, session, Now, "UTC", false, "other", Now);
        var corrected = OutcomeReport.Correction(clinic, patient, session, "noShow", null, Now)!;

        Assert.True(unexcused.Precedence < missed.Precedence && missed.Precedence < excused.Precedence && excused.Precedence < attended.Precedence);
        Assert.True(corrected.IsCorrection && corrected.Precedence > attended.Precedence);
        Assert.Null(OutcomeReport.Correction(clinic, patient, session, "vanished", null, Now));
    }

    [Fact]
    public void The_second_absence_put_down_to_low_motivation_in_the_window_is_moderate_risk_and_the_first_is_not()
    {
        var first = Session(6, AttendanceOutcome.Missed, "lowMotivation");
        var second = Session(2, AttendanceOutcome.Excused, "lowMotivation");

        Assert.Null(Signal(EngagementPatterns.Evaluate(Defaults, [first, Session(4, AttendanceOutcome.Attended)], Now), EngagementPatterns.RepeatedLowMotivation));
        var signal = Signal(EngagementPatterns.Evaluate(Defaults, [first, Session(4, AttendanceOutcome.Attended), second], Now), EngagementPatterns.RepeatedLowMotivation)!;
        Assert.Equal(RiskLevel.Moderate, signal.Level);
        Assert.Equal([first.SessionId, second.SessionId], signal.SessionIds);
    }

    [Fact]
    public void Homework_is_overdue_only_after_its_due_day_plus_the_grace_days_and_done_homework_never_is()
    {
        var session = Guid.NewGuid();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var graceEndsToday = new HomeworkState(session, today.AddDays(-Defaults.HomeworkOverdueDays), false);
        var graceEndedYesterday = new HomeworkState(session, today.AddDays(-Defaults.HomeworkOverdueDays - 1), false);

        Assert.Null(Signal(EngagementPatterns.Evaluate(Defaults, [], Now, [graceEndsToday]), EngagementPatterns.HomeworkOverdue));
        var overdue = Signal(EngagementPatterns.Evaluate(Defaults, [], Now, [graceEndedYesterday]), EngagementPatterns.HomeworkOverdue)!;
        Assert.Equal((RiskLevel.Low, session), (overdue.Level, Assert.Single(overdue.SessionIds)));
        Assert.Null(Signal(EngagementPatterns.Evaluate(Defaults, [], Now, [graceEndedYesterday with { Done = true }]), EngagementPatterns.HomeworkOverdue));
    }

    [Fact]
    public void Homework_turns_overdue_at_the_first_utc_midnight_after_its_due_day_plus_the_grace_days()
    {
        var dueOn = new DateOnly(2026, 11, 28);
        var overdueFrom = EngagementPatterns.HomeworkOverdueFrom(dueOn, 2);
        var homework = new HomeworkState(Guid.NewGuid(), dueOn, false);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), overdueFrom);
        Assert.Null(Signal(EngagementPatterns.Evaluate(Defaults, [], overdueFrom.AddTicks(-1), [homework]), EngagementPatterns.HomeworkOverdue));
        Assert.NotNull(Signal(EngagementPatterns.Evaluate(Defaults, [], overdueFrom, [homework]), EngagementPatterns.HomeworkOverdue));
    }

    [Fact]
    public void Homework_due_at_a_month_end_with_no_grace_days_is_overdue_from_the_first_of_the_next_month()
    {
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), EngagementPatterns.HomeworkOverdueFrom(new DateOnly(2027, 2, 28), 0));
    }
}
