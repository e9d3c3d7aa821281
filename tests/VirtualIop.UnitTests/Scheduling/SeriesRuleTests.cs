using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class SeriesRuleTests
{
    static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    static SeriesProposal Weekly(string startsAtLocal = "2030-01-07T18:00", string rrule = "FREQ=WEEKLY;BYDAY=MO") =>
        new(rrule, startsAtLocal, 90, "America/New_York");

    static SeriesRule Valid(SeriesProposal proposal)
    {
        Assert.True(SeriesRule.TryCreate(proposal, Now, out var rule, out var errors), string.Join("; ", errors));
        return rule;
    }

    static string ErrorFieldOf(SeriesProposal proposal)
    {
        Assert.False(SeriesRule.TryCreate(proposal, Now, out _, out var errors));
        return Assert.Single(errors).Field;
    }

    [Fact]
    public void A_weekly_evening_group_stays_at_18_00_New_York_time_across_both_DST_changes_of_the_year()
    {
        var rule = Valid(Weekly());

        var occurrences = rule.OccurrencesBetween(Now, new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(52, occurrences.Count);
        Assert.All(occurrences, o => Assert.Equal(new TimeSpan(18, 0, 0), TimeZoneInfo.ConvertTime(o.StartsAt, NewYork).TimeOfDay));
        // Before 10 March 2030 New York is UTC-5, from then until 3 November UTC-4, then UTC-5 again.
        Assert.Equal(23, occurrences.Single(o => o.StartsAt.Date == new DateTime(2030, 3, 4)).StartsAt.UtcDateTime.Hour);
        Assert.Equal(22, occurrences.Single(o => o.StartsAt.Date == new DateTime(2030, 3, 11)).StartsAt.UtcDateTime.Hour);
        Assert.Equal(22, occurrences.Single(o => o.StartsAt.Date == new DateTime(2030, 10, 28)).StartsAt.UtcDateTime.Hour);
        Assert.Equal(23, occurrences.Single(o => o.StartsAt.Date == new DateTime(2030, 11, 4)).StartsAt.UtcDateTime.Hour);
        Assert.All(occurrences, o => Assert.Equal(TimeSpan.FromMinutes(90), o.EndsAt - o.StartsAt));
    }

    [Fact]
    public void Occurrences_are_numbered_from_the_first_of_the_series_whatever_window_is_asked_for()
    {
        var rule = Valid(Weekly(rrule: "FREQ=WEEKLY;BYDAY=MO,WE,TH"));

        var later = rule.OccurrencesBetween(new DateTimeOffset(2030, 1, 14, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 21, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal([3, 4, 5], later.Select(o => o.Index));
    }

    [Fact]
    public void A_series_ends_where_its_rule_says()
    {
        var rule = Valid(Weekly(rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=8"));

        Assert.Equal(8, rule.OccurrencesBetween(Now, Now.AddYears(2)).Count);
    }

    [Theory]
    [InlineData("FREQ=SOMETIMES")]
    [InlineData("every monday")]
    [InlineData("FREQ=WEEKLY;BYDAY=XX")]
    [InlineData("FREQ=HOURLY")]
    [InlineData("BYDAY=MO")]
    [InlineData("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")]
    [InlineData("")]
    public void A_rule_that_is_not_a_usable_RRULE_is_refused_naming_rrule(string rrule)
    {
        Assert.Equal("rrule", ErrorFieldOf(Weekly(rrule: rrule)));
    }

    [Theory]
    [InlineData("2030-03-10T02:30", "startsAtLocal")]   // the hour New York skips in spring
    [InlineData("2029-12-31T18:00", "startsAtLocal")]   // already past
    [InlineData("2030-01-07T18:00:00-05:00", "startsAtLocal")]
    public void A_first_start_that_cannot_be_scheduled_is_refused(string startsAtLocal, string field)
    {
        Assert.Equal(field, ErrorFieldOf(Weekly(startsAtLocal: startsAtLocal)));
    }

    [Theory]
    [InlineData("FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0")]
    [InlineData("FREQ=DAILY;BYMINUTE=0,30")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO;BYSECOND=0,30")]
    [InlineData("FREQ=MONTHLY;BYDAY=MO,TU,WE;BYSETPOS=1")]
    [InlineData("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO;COUNT=1001")]
    [InlineData("FREQ=YEARLY;INTERVAL=101")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO;UNTIL=21000101T000000Z")]
    public void A_rule_that_could_expand_past_one_session_a_day_or_past_the_bounds_is_refused_naming_rrule(string rrule)
    {
        Assert.Equal("rrule", ErrorFieldOf(Weekly(rrule: rrule)));
    }

    [Fact]
    public void A_rule_longer_than_200_characters_is_refused_naming_rrule()
    {
        var everyDayOfTheFirst80 = "FREQ=YEARLY;BYYEARDAY=" + string.Join(',', Enumerable.Range(1, 80));
        Valid(Weekly(rrule: everyDayOfTheFirst80[..everyDayOfTheFirst80.LastIndexOf(',', 190)]));

        Assert.Equal("rrule", ErrorFieldOf(Weekly(rrule: everyDayOfTheFirst80)));
    }

    [Fact]
    public void One_value_each_for_hour_minute_and_second_and_the_largest_count_are_accepted()
    {
        var rule = Valid(Weekly(rrule: $"FREQ=DAILY;BYHOUR=19;BYMINUTE=30;BYSECOND=0;COUNT={SeriesRule.MaxCount}"));

        var occurrences = rule.OccurrencesBetween(Now, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(SeriesRule.MaxCount, occurrences.Count);
        Assert.All(occurrences, o => Assert.Equal(new TimeSpan(19, 30, 0), TimeZoneInfo.ConvertTime(o.StartsAt, NewYork).TimeOfDay));
    }

    [Fact]
    public void A_rule_naming_every_day_of_every_month_still_yields_one_session_a_day()
    {
        var rule = Valid(Weekly(rrule: "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"));

        var occurrences = rule.OccurrencesBetween(Now, Now.AddYears(1));

        Assert.Equal(359, occurrences.Count);   // every day from Monday 7 January 2030 to the end of the year
        Assert.All(occurrences.GroupBy(o => TimeZoneInfo.ConvertTime(o.StartsAt, NewYork).Date),
            day => Assert.True(day.Count() <= SeriesRule.MaxOccurrencesPerDay));
    }

    [Fact]
    public void An_open_ended_daily_rule_asked_for_everything_stops_before_2100()
    {
        var rule = Valid(Weekly(rrule: "FREQ=DAILY"));

        var occurrences = rule.OccurrencesBetween(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

        Assert.InRange(occurrences.Count, 1, SeriesRule.MaxOccurrences);
        Assert.True(occurrences[^1].StartsAt < new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2099, 12, 31), DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(occurrences[^1].StartsAt, NewYork).DateTime));
    }

    [Theory]
    [InlineData("9999-12-31T23:59")]
    [InlineData("2100-01-01T00:00")]
    [InlineData("1999-12-31T18:00")]
    [InlineData("0001-01-01T00:00")]
    public void A_first_start_outside_2000_to_2100_is_refused_on_startsAtLocal(string startsAtLocal)
    {
        Assert.Equal("startsAtLocal", ErrorFieldOf(Weekly(startsAtLocal: startsAtLocal)));
    }

    [Fact]
    public void A_first_start_outside_2000_to_2100_is_refused_in_a_zone_ahead_of_UTC_too()
    {
        Assert.Equal("startsAtLocal", ErrorFieldOf(Weekly(startsAtLocal: "9999-12-31T23:59") with { TimeZone = "Pacific/Kiritimati" }));
        Assert.Equal("startsAtLocal", ErrorFieldOf(Weekly(startsAtLocal: "0001-01-01T00:00") with { TimeZone = "Pacific/Kiritimati" }));
    }

    [Fact]
    public void Whether_a_series_starts_before_an_instant_is_answered_from_its_first_occurrence_alone()
    {
        var rule = Valid(Weekly(rrule: "FREQ=DAILY"));
        var first = rule.OccurrencesBetween(Now, Now.AddYears(1))[0].StartsAt;

        Assert.False(rule.OccursBefore(first));
        Assert.True(rule.OccursBefore(first.AddTicks(1)));
        Assert.True(rule.OccursBefore(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void A_series_needs_an_IANA_time_zone()
    {
        Assert.Equal("timeZone", ErrorFieldOf(Weekly() with { TimeZone = "Eastern Standard Time" }));
    }

    [Fact]
    public void Topics_follow_the_curriculum_in_order_and_start_again_after_the_last()
    {
        Topic[] topics = [new(Guid.NewGuid(), 1, "Triggers", SessionKind.GroupTherapy), new(Guid.NewGuid(), 2, "Cravings", SessionKind.EducationalModule)];

        Assert.Equal([topics[0], topics[1], topics[0]], new[] { 0, 1, 2 }.Select(i => Curriculum.TopicFor(i, topics)));
    }
}
