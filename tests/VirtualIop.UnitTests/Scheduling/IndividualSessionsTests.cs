using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class IndividualSessionsTests
{
    const string NewYork = "America/New_York";
    static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(NewYork);

    static DateTimeOffset Local(int month, int day, int hour)
    {
        var local = new DateTime(2030, month, day, hour, 0, 0);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    [Theory]
    [InlineData("individual", 3, 5, 3)]
    [InlineData("individual", null, 5, 5)]
    [InlineData("individual", null, 0, 1)]
    [InlineData("hybrid", 3, 5, 1)]
    [InlineData("group", 3, 5, 0)]
    [InlineData(null, null, 5, 0)]
    public void Individual_takes_the_planned_frequency_else_the_cohorts_week_and_hybrid_one_a_week(string? modality, int? planned, int cohortWeek,
        int expected) =>
        Assert.Equal(expected, IndividualSessions.PerWeek(modality, planned, cohortWeek));

    [Fact]
    public void Only_individual_takes_the_patient_off_the_group_sessions()
    {
        Assert.False(IndividualSessions.KeepsGroup("individual"));
        Assert.True(IndividualSessions.KeepsGroup("hybrid"));
        Assert.True(IndividualSessions.KeepsGroup("group"));
        Assert.True(IndividualSessions.KeepsGroup(null));
    }

    [Fact]
    public void The_cohorts_sessions_a_week_is_its_fullest_week()
    {
        var cohort = Guid.NewGuid();
        // Monday 4 March 2030 to Friday, then Monday and Tuesday of the next week.
        var days = new[] { 4, 5, 6, 7, 8, 11, 12 }.Select(d => new CohortOccurrence(Guid.NewGuid(), cohort, Local(3, d, 18), NewYork));

        Assert.Equal(5, IndividualSessions.CohortSessionsPerWeek(days));
        Assert.Equal(0, IndividualSessions.CohortSessionsPerWeek([]));
    }

    [Fact]
    public void Three_a_week_from_a_Wednesday_books_the_rest_of_that_week_and_three_in_each_whole_week_up_to_the_horizon()
    {
        var from = Local(3, 6, 10);
        var weeks = IndividualSessions.Plan([], 3, from, Local(3, 20, 10), NewYork);

        Assert.Equal([new DateOnly(2030, 3, 4), new DateOnly(2030, 3, 11), new DateOnly(2030, 3, 18)], weeks.Select(w => w.Monday));
        Assert.All(weeks, w => Assert.Equal(3, w.ToBook));
        Assert.Equal(from, weeks[0].From);
        Assert.Equal(Local(3, 11, 0), weeks[0].Until);
        Assert.Equal((Local(3, 11, 0), Local(3, 18, 0)), (weeks[1].From, weeks[1].Until));
        Assert.Equal(Local(3, 20, 10), weeks[2].Until);
    }

    [Fact]
    public void A_week_already_holding_its_sessions_books_none_and_one_holding_more_cancels_the_latest()
    {
        var monday = new PlanBooking(Guid.NewGuid(), Local(3, 11, 9));
        var tuesday = new PlanBooking(Guid.NewGuid(), Local(3, 12, 9));
        var wednesday = new PlanBooking(Guid.NewGuid(), Local(3, 13, 9));
        var nextMonday = new PlanBooking(Guid.NewGuid(), Local(3, 18, 9));

        var same = IndividualSessions.Plan([monday, tuesday, wednesday], 3, Local(3, 11, 0), Local(3, 18, 0), NewYork);
        Assert.Empty(same);

        var hybrid = IndividualSessions.Plan([monday, tuesday, wednesday, nextMonday], 1, Local(3, 11, 0), Local(3, 25, 0), NewYork);
        Assert.Equal([wednesday.SessionId, tuesday.SessionId], hybrid.Single(w => w.Monday == new DateOnly(2030, 3, 11)).ToCancel);
        Assert.Equal(0, hybrid.Single(w => w.Monday == new DateOnly(2030, 3, 11)).ToBook);
        Assert.DoesNotContain(hybrid, w => w.Monday == new DateOnly(2030, 3, 18));
    }

    [Fact]
    public void Back_to_group_cancels_every_booking_from_the_change_on_even_past_the_horizon_and_leaves_earlier_ones()
    {
        var before = new PlanBooking(Guid.NewGuid(), Local(3, 11, 9));
        var after = new PlanBooking(Guid.NewGuid(), Local(3, 13, 9));
        var beyond = new PlanBooking(Guid.NewGuid(), Local(5, 6, 9));

        var weeks = IndividualSessions.Plan([before, after, beyond], 0, Local(3, 12, 0), Local(3, 20, 0), NewYork);

        Assert.Equal([after.SessionId, beyond.SessionId], weeks.SelectMany(w => w.ToCancel));
        Assert.All(weeks, w => Assert.Equal(0, w.ToBook));
    }

    [Fact]
    public void After_a_booking_the_search_goes_on_from_the_next_local_midnight_across_a_DST_change()
    {
        Assert.Equal(Local(3, 12, 0), IndividualSessions.NextDay(Local(3, 11, 23), NewYork));
        // 10 March 2030: clocks go forward at 02:00 in New York; the next midnight is still local midnight.
        Assert.Equal(Local(3, 11, 0), IndividualSessions.NextDay(Local(3, 10, 9), NewYork));
        Assert.Equal(TimeSpan.FromHours(-4), IndividualSessions.NextDay(Local(3, 10, 9), NewYork).Offset);
    }
}
