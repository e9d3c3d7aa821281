using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public sealed class MissTakenBackTests
{
    static readonly DateTimeOffset Start = new(2026, 11, 16, 17, 0, 0, TimeSpan.Zero);

    static OutcomeReport Miss => OutcomeReport.Missed(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Start, "America/Chicago", Start.AddHours(2));

    [Fact]
    public void A_no_show_whose_correction_was_kept_first_opens_nothing_even_before_the_outcome_copy_knows_of_it()
    {
        Assert.False(MissEffects.Warranted(new MissContext(false, false, null, TakenBack: true), Miss));
        Assert.True(MissEffects.Warranted(new MissContext(false, false, null, TakenBack: false), Miss));
    }
}
