using VirtualIop.Contracts.Engagement;

namespace VirtualIop.UnitTests.Contracts;

public sealed class PlanAdjustedTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(7, true)]
    [InlineData(8, false)]
    [InlineData(14, false)]
    public void A_plan_names_one_to_seven_sessions_a_week_at_most_one_a_day(int sessionsPerWeek, bool valid) =>
        Assert.Equal(valid, PlanAdjusted.IsValidSessionsPerWeek(sessionsPerWeek));
}
