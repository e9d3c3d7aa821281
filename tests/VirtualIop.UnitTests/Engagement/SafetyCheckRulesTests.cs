using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public sealed class SafetyCheckRulesTests
{
    [Theory]
    [InlineData("emergency", true)]
    [InlineData("illness", false)]
    [InlineData("lowMotivation", false)]
    [InlineData("other", false)]
    [InlineData(null, false)]
    public void Only_an_absence_put_down_to_an_emergency_calls_for_a_safety_check(string? reason, bool calls) =>
        Assert.Equal(calls, SafetyCheckRules.CallsForSafetyCheck(reason));

    [Theory]
    [InlineData(FollowUpStatus.Open, null, FollowUpStatus.InProgress, null, true)]
    [InlineData(FollowUpStatus.Open, null, FollowUpStatus.Done, null, true)]
    [InlineData(FollowUpStatus.InProgress, "dr-okafor", FollowUpStatus.Cancelled, "dr-okafor", true)]
    [InlineData(FollowUpStatus.Open, null, FollowUpStatus.Open, "dr-okafor", true)]
    [InlineData(FollowUpStatus.Open, "dr-okafor", FollowUpStatus.Open, "dr-okafor", false)]
    [InlineData(FollowUpStatus.Done, null, FollowUpStatus.Done, "dr-okafor", false)]
    public void A_safety_check_is_acknowledged_when_it_is_assigned_started_or_closed_and_not_by_a_note(
        FollowUpStatus before, string? assigneeBefore, FollowUpStatus after, string? assigneeAfter, bool acknowledges) =>
        Assert.Equal(acknowledges, SafetyCheckRules.Acknowledges(FollowUpKind.SafetyCheck, before, assigneeBefore, after, assigneeAfter));

    [Fact]
    public void Moving_a_task_of_another_kind_acknowledges_no_safety_check() =>
        Assert.False(SafetyCheckRules.Acknowledges(FollowUpKind.IndividualCounselling, FollowUpStatus.Open, null, FollowUpStatus.InProgress, null));

    static readonly DateTimeOffset Monday = new(2026, 3, 2, 17, 0, 0, TimeSpan.Zero);

    static SessionOutcome Outcome(int daysAgo, AttendanceOutcome outcome, string? reason = null) =>
        new(Guid.NewGuid(), Monday.AddDays(-daysAgo), "UTC", outcome, reason);

    [Fact]
    public void Two_silent_no_shows_in_a_row_for_a_patient_already_at_high_risk_call_for_a_safety_check() =>
        Assert.True(SafetyCheckRules.PatternCallsForSafetyCheck(RiskLevel.High,
            [Outcome(0, AttendanceOutcome.Missed), Outcome(2, AttendanceOutcome.Missed), Outcome(4, AttendanceOutcome.Attended)], silentNoShows: 2));

    [Fact]
    public void The_same_run_for_a_patient_not_yet_at_high_risk_does_not() =>
        Assert.False(SafetyCheckRules.PatternCallsForSafetyCheck(RiskLevel.Moderate,
            [Outcome(0, AttendanceOutcome.Missed), Outcome(2, AttendanceOutcome.Missed)], silentNoShows: 2));

    [Fact]
    public void A_miss_with_a_reason_given_breaks_the_silence() =>
        Assert.False(SafetyCheckRules.PatternCallsForSafetyCheck(RiskLevel.High,
            [Outcome(0, AttendanceOutcome.Missed), Outcome(2, AttendanceOutcome.Missed, "lowMotivation")], silentNoShows: 2));

    [Fact]
    public void An_attended_or_excused_session_in_between_breaks_the_run()
    {
        Assert.False(SafetyCheckRules.PatternCallsForSafetyCheck(RiskLevel.High,
            [Outcome(0, AttendanceOutcome.Missed), Outcome(2, AttendanceOutcome.Attended), Outcome(4, AttendanceOutcome.Missed)], silentNoShows: 2));
        Assert.False(SafetyCheckRules.PatternCallsForSafetyCheck(RiskLevel.High,
            [Outcome(0, AttendanceOutcome.Missed), Outcome(2, AttendanceOutcome.Excused, "illness")], silentNoShows: 2));
    }

    [Fact]
    public void A_single_no_show_or_a_pattern_turned_off_calls_for_nothing()
    {
        Assert.False(SafetyCheckRules.PatternCallsForSafetyCheck(RiskLevel.High, [Outcome(0, AttendanceOutcome.Missed)], silentNoShows: 2));
        Assert.False(SafetyCheckRules.PatternCallsForSafetyCheck(RiskLevel.High,
            [Outcome(0, AttendanceOutcome.Missed), Outcome(2, AttendanceOutcome.Missed)], silentNoShows: 0));
    }
}
