using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class TreatmentPlanTests
{
    [Theory]
    [InlineData("frequency", 1, null, true)]
    [InlineData("frequency", 7, null, true)]
    [InlineData("frequency", 0, null, false)]
    [InlineData("frequency", 8, null, false)]
    [InlineData("frequency", null, null, false)]
    [InlineData("modality", null, "hybrid", true)]
    [InlineData("modality", null, "telepathy", false)]
    [InlineData("intensity", 3, "group", false)]
    public void Scheduling_acts_only_on_a_frequency_of_1_to_7_a_week_or_a_known_modality(string change, int? perWeek, string? modality, bool applies)
    {
        Assert.Equal(applies, PlanChange.From(change, perWeek, modality) is not null);
    }

    [Fact]
    public void Scheduling_acts_on_exactly_the_frequencies_Engagement_may_announce()
    {
        var counts = Enumerable.Range(-1, 20).ToList();
        Assert.Equal(counts.Select(PlanAdjusted.IsValidSessionsPerWeek), counts.Select(n => PlanChange.From("frequency", n, null) is not null));
    }
}
