using VirtualIop.Web.Patient;

namespace VirtualIop.UnitTests.Web;

public sealed class PolicyWordingTests
{
    static StandingView Standing(string status, decimal excusedUsed, decimal excusedLimit) =>
        new(status,
        [
            new RuleView("minAttendancePercent", "goodStanding", 90m, 75m, 3),
            new RuleView("maxExcusedAbsences", "goodStanding", excusedUsed, excusedLimit, (int)(excusedLimit - excusedUsed + 1)),
            new RuleView("maxUnexcusedAbsences", "goodStanding", 0m, 2m, 3)
        ]);

    [Fact]
    public void An_excused_notice_with_one_of_four_excused_absences_used_leaves_three() =>
        Assert.Equal(new PolicyExplanation(true, 3, StandingTone.Steady), PolicyWording.Explain(true, [Standing("goodStanding", 1, 4)]));

    [Fact]
    public void With_every_excused_absence_used_none_remain_and_the_count_never_goes_below_zero()
    {
        Assert.Equal(0, PolicyWording.Explain(true, [Standing("goodStanding", 4, 4)]).ExcusedRemaining);
        Assert.Equal(0, PolicyWording.Explain(false, [Standing("inBreach", 6, 4)]).ExcusedRemaining);
    }

    [Theory]
    [InlineData("goodStanding", StandingTone.Steady)]
    [InlineData("atRisk", StandingTone.Close)]
    [InlineData("inBreach", StandingTone.Reaching)]
    public void The_standing_sets_the_tone_a_heads_up_before_a_limit_and_an_offer_of_help_past_it(string status, StandingTone tone) =>
        Assert.Equal(tone, PolicyWording.Explain(false, [Standing(status, 0, 4)]).Tone);

    [Fact]
    public void In_two_programs_the_one_closest_to_a_limit_speaks() =>
        Assert.Equal(new PolicyExplanation(true, 1, StandingTone.Close),
            PolicyWording.Explain(true, [Standing("goodStanding", 0, 4), Standing("atRisk", 3, 4)]));

    [Fact]
    public void Without_a_standing_the_page_still_says_whether_the_absence_is_excused() =>
        Assert.Equal(new PolicyExplanation(false, null, StandingTone.Steady), PolicyWording.Explain(false, []));
}
