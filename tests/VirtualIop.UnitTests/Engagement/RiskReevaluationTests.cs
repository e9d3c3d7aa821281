using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class RiskReevaluationTests
{
    static readonly PatternSettings Defaults = new();
    static readonly DateTimeOffset Now = new(2026, 12, 2, 17, 0, 0, TimeSpan.Zero);

    static SessionOutcome Missed(double daysAgo) => new(Guid.NewGuid(), Now.AddDays(-daysAgo), "UTC", AttendanceOutcome.Missed, null);

    static HomeworkState OverdueHomework() => new(Guid.NewGuid(), DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-Defaults.HomeworkOverdueDays - 1), false);

    [Fact]
    public void Homework_falling_overdue_with_no_new_session_raises_a_patient_without_risk_to_low()
    {
        var decision = RiskReevaluation.Decide(Defaults, RiskAssessment.None, [Missed(6)], [OverdueHomework()], Now);

        Assert.True(decision.Raised);
        Assert.Equal(RiskLevel.Low, decision.Assessment.Level);
        Assert.Equal(EngagementPatterns.HomeworkOverdue, Assert.Single(decision.Assessment.Signals).Rule);
        Assert.Empty(decision.NewFollowUps);
    }

    [Fact]
    public void The_same_assessment_again_is_neither_announced_nor_followed_up_twice()
    {
        var history = new[] { Missed(3), Missed(1) };
        var first = RiskReevaluation.Decide(Defaults, RiskAssessment.None, history, [], Now);

        var again = RiskReevaluation.Decide(Defaults, first.Assessment, history, [], Now);

        Assert.True(first.Raised);
        Assert.Equal(FollowUpKind.IndividualCounselling, Assert.Single(first.NewFollowUps).Kind);
        Assert.False(again.Raised);
        Assert.Empty(again.NewFollowUps);
    }

    [Fact]
    public void Overdue_homework_beside_a_moderate_risk_does_not_raise_it_again()
    {
        var history = new[] { Missed(3), Missed(1) };
        var moderate = RiskReevaluation.Decide(Defaults, RiskAssessment.None, history, [], Now).Assessment;

        var withHomework = RiskReevaluation.Decide(Defaults, moderate, history, [OverdueHomework()], Now);

        Assert.False(withHomework.Raised);
        Assert.Equal(RiskLevel.Moderate, withHomework.Assessment.Level);
        Assert.Contains(withHomework.Assessment.Signals, s => s.Rule == EngagementPatterns.HomeworkOverdue);
    }

    [Fact]
    public void A_lower_level_is_stored_without_being_announced()
    {
        var moderate = RiskReevaluation.Decide(Defaults, RiskAssessment.None, [Missed(3), Missed(1)], [], Now).Assessment;

        var lowered = RiskReevaluation.Decide(Defaults, moderate, [Missed(3)], [], Now);

        Assert.False(lowered.Raised);
        Assert.Equal(RiskAssessment.None, lowered.Assessment);
    }

    [Fact]
    public void A_rule_that_fires_at_a_higher_level_calls_for_the_follow_ups_of_that_level()
    {
        var moderate = RiskReevaluation.Decide(Defaults, RiskAssessment.None, [Missed(5), Missed(3)], [], Now).Assessment;

        var high = RiskReevaluation.Decide(Defaults, moderate, [Missed(5), Missed(3), Missed(1)], [], Now);

        Assert.True(high.Raised);
        Assert.Equal([FollowUpKind.IndividualCounselling, FollowUpKind.MotivationalInterviewing], high.NewFollowUps.Select(f => f.Kind).Order());
    }
}
