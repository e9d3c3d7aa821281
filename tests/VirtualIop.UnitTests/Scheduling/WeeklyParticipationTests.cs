using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class WeeklyParticipationTests
{
    const string NewYork = "America/New_York";
    static readonly Guid Cohort = Guid.NewGuid();
    static readonly DateTimeOffset Now = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A cohort meeting Monday to Friday at 18:00 New York time for <paramref name="weeks"/> weeks from Monday 4 March 2030.</summary>
    static List<CohortOccurrence> Weekdays(int weeks, string zone = NewYork) =>
        Enumerable.Range(0, weeks * 7)
            .Select(d => new DateTime(2030, 3, 4, 18, 0, 0).AddDays(d))
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Select(d => new CohortOccurrence(Guid.NewGuid(), Cohort,
                new DateTimeOffset(d, TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(d)), zone))
            .ToList();

    static IReadOnlySet<Guid> All(IEnumerable<CohortOccurrence> occurrences) => occurrences.Select(o => o.SessionId).ToHashSet();

    static DayOfWeek[] Days(IEnumerable<CohortOccurrence> occurrences) =>
        occurrences.Select(o => TimeZoneInfo.ConvertTime(o.StartsAt, TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone)).DayOfWeek).ToArray();

    [Fact]
    public void Three_a_week_in_a_cohort_meeting_five_days_keeps_Monday_to_Wednesday_and_drops_Thursday_and_Friday_each_week()
    {
        var cohort = Weekdays(2);

        var change = WeeklyParticipation.Change(cohort, All(cohort), new FrequencyPlan(3, null), Now);

        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday], Days(change.Kept));
        Assert.Equal([DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Thursday, DayOfWeek.Friday], Days(change.Dropped));
        Assert.Empty(change.Added);
    }

    [Fact]
    public void Raising_the_count_back_to_five_adds_the_dropped_days_and_keeps_the_others()
    {
        var cohort = Weekdays(2);
        var onThree = WeeklyParticipation.Change(cohort, All(cohort), new FrequencyPlan(3, null), Now);

        var change = WeeklyParticipation.Change(cohort, All(onThree.Kept), new FrequencyPlan(5, null), Now);

        Assert.Equal(All(onThree.Dropped), All(change.Added));
        Assert.Equal(All(onThree.Kept), All(change.Kept));
        Assert.Empty(change.Dropped);
    }

    [Fact]
    public void More_a_week_than_the_cohort_meets_keeps_every_session()
    {
        var cohort = Weekdays(1);
        var change = WeeklyParticipation.Change(cohort, All(cohort), new FrequencyPlan(7, null), Now);
        Assert.Equal(5, change.Kept.Count);
        Assert.Empty(change.Dropped);
    }

    [Fact]
    public void Sessions_already_started_and_those_before_the_effective_date_stay_as_they_are()
    {
        var cohort = Weekdays(2);
        // Wednesday of the first week, 20:00 New York: Monday to Wednesday of that week have started.
        var now = new DateTimeOffset(2030, 3, 7, 1, 0, 0, TimeSpan.Zero);

        var atOnce = WeeklyParticipation.Change(cohort, All(cohort), new FrequencyPlan(2, null), now);
        var fromSecondWeek = WeeklyParticipation.Change(cohort, All(cohort), new FrequencyPlan(2, new DateOnly(2030, 3, 11)), now);

        // Monday and Tuesday already fill the first week's two, so its Thursday and Friday go too.
        Assert.Equal(2 + 3, atOnce.Dropped.Count);
        Assert.Equal([DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], Days(fromSecondWeek.Dropped));
        Assert.All(fromSecondWeek.Dropped, o => Assert.True(o.StartsAt > new DateTimeOffset(2030, 3, 11, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Weeks_run_Monday_to_Sunday_in_the_sessions_own_time_zone()
    {
        // 18:00 on a Sunday in New York is already Monday in UTC; it still belongs to the week that began six days before.
        var sunday = new CohortOccurrence(Guid.NewGuid(), Cohort, new DateTimeOffset(2030, 3, 10, 18, 0, 0, TimeSpan.FromHours(-4)), NewYork);
        Assert.Equal(new DateOnly(2030, 3, 4), WeeklyParticipation.WeekOf(sunday));
    }

    [Fact]
    public void A_week_that_crosses_the_DST_change_still_counts_five_sessions()
    {
        // 2030-03-10 is the spring-forward Sunday in New York; the week of 11 March is all on daylight time, the one before on standard.
        var cohort = Weekdays(2);
        Assert.Equal(2, cohort.GroupBy(WeeklyParticipation.WeekOf).Count());
        Assert.Equal(6, WeeklyParticipation.Chosen(cohort, 3).Count);
    }

    [Fact]
    public void Each_cohort_is_counted_on_its_own()
    {
        var other = Guid.NewGuid();
        var cohort = Weekdays(1);
        var both = cohort.Concat(cohort.Select(o => o with { SessionId = Guid.NewGuid(), CohortId = other })).ToList();
        Assert.Equal(4, WeeklyParticipation.Chosen(both, 2).Count);
    }
}
