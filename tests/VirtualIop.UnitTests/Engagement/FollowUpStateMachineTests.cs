using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class FollowUpStateMachineTests
{
    [Theory]
    [InlineData(FollowUpStatus.Open, FollowUpStatus.InProgress)]
    [InlineData(FollowUpStatus.Open, FollowUpStatus.Done)]
    [InlineData(FollowUpStatus.Open, FollowUpStatus.Cancelled)]
    [InlineData(FollowUpStatus.InProgress, FollowUpStatus.Done)]
    [InlineData(FollowUpStatus.InProgress, FollowUpStatus.Cancelled)]
    public void A_task_moves_forward_or_is_cancelled_while_active(FollowUpStatus from, FollowUpStatus to)
    {
        Assert.Equal(TransitionVerdict.Allowed, FollowUpStateMachine.Check(from, to, "Talked it through; the patient joins Thursday."));
    }

    [Theory]
    [InlineData(FollowUpStatus.Done, FollowUpStatus.Open)]
    [InlineData(FollowUpStatus.Done, FollowUpStatus.InProgress)]
    [InlineData(FollowUpStatus.Done, FollowUpStatus.Cancelled)]
    [InlineData(FollowUpStatus.Cancelled, FollowUpStatus.Open)]
    [InlineData(FollowUpStatus.Cancelled, FollowUpStatus.Done)]
    [InlineData(FollowUpStatus.InProgress, FollowUpStatus.Open)]
    [InlineData(FollowUpStatus.Open, FollowUpStatus.Open)]
    [InlineData(FollowUpStatus.InProgress, FollowUpStatus.InProgress)]
    public void Done_and_cancelled_are_final_and_a_task_never_moves_back(FollowUpStatus from, FollowUpStatus to)
    {
        Assert.Equal(TransitionVerdict.NotAllowed, FollowUpStateMachine.Check(from, to, "note"));
    }

    [Theory]
    [InlineData(FollowUpStatus.Done, null)]
    [InlineData(FollowUpStatus.Cancelled, "   ")]
    public void Closing_a_task_needs_an_outcome_note(FollowUpStatus to, string? note)
    {
        Assert.Equal(TransitionVerdict.OutcomeNoteRequired, FollowUpStateMachine.Check(FollowUpStatus.InProgress, to, note));
    }

    [Fact]
    public void Starting_work_needs_no_note()
    {
        Assert.Equal(TransitionVerdict.Allowed, FollowUpStateMachine.Check(FollowUpStatus.Open, FollowUpStatus.InProgress, null));
    }

    static RiskSignal Signal(string rule, RiskLevel level) => new(rule, level, "", [Guid.NewGuid()]);

    static readonly PatternSettings Defaults = new();

    [Fact]
    public void Technical_trouble_calls_for_technical_support_not_counselling()
    {
        var kinds = FollowUpSuggestions.For(new RiskAssessment(RiskLevel.Low, [Signal(EngagementPatterns.TechnicalDifficulties, RiskLevel.Low)]), Defaults);

        Assert.Equal([FollowUpKind.TechnicalSupport], kinds.Select(k => k.Kind));
    }

    [Fact]
    public void Repeated_misses_call_for_counselling_and_at_high_risk_motivational_interviewing_too()
    {
        var moderate = FollowUpSuggestions.For(new RiskAssessment(RiskLevel.Moderate, [Signal(EngagementPatterns.ConsecutiveMisses, RiskLevel.Moderate)]), Defaults);
        var high = FollowUpSuggestions.For(new RiskAssessment(RiskLevel.High,
            [Signal(EngagementPatterns.ConsecutiveMisses, RiskLevel.High), Signal(EngagementPatterns.MissesInWindow, RiskLevel.Moderate)]), Defaults);

        Assert.Equal([FollowUpKind.IndividualCounselling], moderate.Select(k => k.Kind));
        Assert.Equal([FollowUpKind.IndividualCounselling, FollowUpKind.MotivationalInterviewing], high.Select(k => k.Kind));
    }

    [Fact]
    public void A_low_attendance_rate_or_a_slot_conflict_calls_for_a_treatment_plan_review()
    {
        var kinds = FollowUpSuggestions.For(new RiskAssessment(RiskLevel.Moderate,
            [Signal(EngagementPatterns.AttendanceBelowThreshold, RiskLevel.Moderate), Signal(EngagementPatterns.SameSlotAbsences, RiskLevel.Low)]), Defaults);

        Assert.Equal([FollowUpKind.TreatmentPlanReview], kinds.Select(k => k.Kind));
    }

    [Fact]
    public void Repeated_low_motivation_at_high_risk_suggests_family_involvement_where_the_program_wants_it()
    {
        RiskAssessment Risk(RiskLevel level) => new(level,
            [Signal(EngagementPatterns.ConsecutiveMisses, level), Signal(EngagementPatterns.RepeatedLowMotivation, RiskLevel.Moderate)]);

        Assert.Contains(FollowUpKind.FamilyInvolvement, FollowUpSuggestions.For(Risk(RiskLevel.High), Defaults).Select(k => k.Kind));
        Assert.DoesNotContain(FollowUpKind.FamilyInvolvement, FollowUpSuggestions.For(Risk(RiskLevel.Moderate), Defaults).Select(k => k.Kind));
        Assert.DoesNotContain(FollowUpKind.FamilyInvolvement,
            FollowUpSuggestions.For(Risk(RiskLevel.High), Defaults with { SuggestFamilyInvolvement = false }).Select(k => k.Kind));
        Assert.Contains(FollowUpKind.MotivationalInterviewing, FollowUpSuggestions.For(Risk(RiskLevel.Moderate), Defaults).Select(k => k.Kind));
    }

    [Fact]
    public void High_risk_without_low_motivation_does_not_suggest_family_involvement()
    {
        var kinds = FollowUpSuggestions.For(new RiskAssessment(RiskLevel.High, [Signal(EngagementPatterns.ConsecutiveMisses, RiskLevel.High)]), Defaults);

        Assert.DoesNotContain(FollowUpKind.FamilyInvolvement, kinds.Select(k => k.Kind));
    }
}
