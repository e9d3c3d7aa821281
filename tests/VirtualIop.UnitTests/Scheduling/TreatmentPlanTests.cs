using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class TreatmentPlanTests
{
    [Theory]
    [InlineData("frequency", 1, null, true)]
    [InlineData("frequency", 14, null, true)]
    [InlineData("frequency", 0, null, false)]
    [InlineData("frequency", 15, null, false)]
    [InlineData("frequency", null, null, false)]
    [InlineData("modality", null, "hybrid", true)]
    [InlineData("modality", null, "telepathy", false)]
    [InlineData("intensity", 3, "group", false)]
    public void Scheduling_acts_only_on_a_frequency_of_1_to_14_a_week_or_a_known_modality(string change, int? perWeek, string? modality, bool applies)
    {
        Assert.Equal(applies, PlanChange.From(change, perWeek, modality) is not null);
    }
}
