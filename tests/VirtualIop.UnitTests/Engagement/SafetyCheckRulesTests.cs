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
}
