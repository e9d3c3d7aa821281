using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class ProgramAndCohortRulesTests
{
    static CohortProposal ValidCohort() => new(Guid.NewGuid(), "Evening group A", Guid.NewGuid(), 12, "America/New_York");

    [Fact]
    public void A_program_numbers_its_topics_in_the_order_given()
    {
        var proposal = new ProgramProposal(" Adult SUD IOP ", [new(" Triggers ", SessionKind.GroupTherapy), new("Cravings", SessionKind.EducationalModule)]);

        Assert.True(NewProgram.TryCreate(proposal, out var program, out _));

        Assert.Equal("Adult SUD IOP", program.Name);
        Assert.Equal([new NewTopic(1, "Triggers", SessionKind.GroupTherapy), new NewTopic(2, "Cravings", SessionKind.EducationalModule)], program.Topics);
    }

    [Fact]
    public void A_topic_without_title_or_kind_is_named_by_its_index()
    {
        var proposal = new ProgramProposal("IOP", [new("Triggers", SessionKind.GroupTherapy), new(" ", null)]);

        Assert.False(NewProgram.TryCreate(proposal, out _, out var errors));

        Assert.Equal(["topics[1].title", "topics[1].kind"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void A_cohort_seats_one_to_fifty_patients(int capacity)
    {
        Assert.False(NewCohort.TryCreate(ValidCohort() with { Capacity = capacity }, out _, out var errors));
        Assert.Equal("capacity", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("Eastern Standard Time")]
    [InlineData("Mars/Olympus_Mons")]
    public void A_cohort_needs_an_IANA_time_zone(string zone)
    {
        Assert.False(NewCohort.TryCreate(ValidCohort() with { TimeZone = zone }, out _, out var errors));
        Assert.Equal("timeZone", Assert.Single(errors).Field);
    }

    [Fact]
    public void Capacity_may_equal_the_roster_but_not_drop_below_it()
    {
        Assert.Null(CohortCapacity.Check(4, currentRoster: 4));
        Assert.Equal("capacity", CohortCapacity.Check(3, currentRoster: 4)?.Field);
    }
}
