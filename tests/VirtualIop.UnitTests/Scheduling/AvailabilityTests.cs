using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class AvailabilityTests
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    static Availability EveningsMonToThu(params TimeOff[] timeOff) => new("America/New_York",
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday }
            .Select(d => new WorkingHours(d, new TimeOnly(17, 0), new TimeOnly(21, 0)))], timeOff);

    static DateTimeOffset NewYorkTime(int year, int month, int day, int hour, int minute = 0) =>
        new(new DateTime(year, month, day, hour, minute, 0), NewYork.GetUtcOffset(new DateTime(year, month, day, hour, minute, 0)));

    [Fact]
    public void An_evening_session_inside_working_hours_is_bookable_in_winter_and_in_summer()
    {
        var availability = EveningsMonToThu();

        Assert.True(availability.Covers(NewYorkTime(2030, 1, 7, 18), NewYorkTime(2030, 1, 7, 19)));
        Assert.True(availability.Covers(NewYorkTime(2030, 7, 8, 20), NewYorkTime(2030, 7, 8, 21)));
    }

    [Fact]
    public void A_session_running_past_the_end_of_working_hours_or_on_a_day_off_is_not()
    {
        var availability = EveningsMonToThu();

        Assert.False(availability.Covers(NewYorkTime(2030, 1, 7, 20, 30), NewYorkTime(2030, 1, 7, 21, 30)));
        Assert.False(availability.Covers(NewYorkTime(2030, 1, 11, 18), NewYorkTime(2030, 1, 11, 19)));   // a Friday
        Assert.False(availability.Covers(NewYorkTime(2030, 1, 7, 10), NewYorkTime(2030, 1, 7, 11)));
    }

    [Fact]
    public void Time_off_overlapping_the_session_makes_it_unbookable_and_touching_it_does_not()
    {
        var availability = EveningsMonToThu(new TimeOff(NewYorkTime(2030, 1, 7, 17), NewYorkTime(2030, 1, 7, 18)));

        Assert.False(availability.Covers(NewYorkTime(2030, 1, 7, 17, 30), NewYorkTime(2030, 1, 7, 18, 30)));
        Assert.True(availability.Covers(NewYorkTime(2030, 1, 7, 18), NewYorkTime(2030, 1, 7, 19)));
    }

    [Fact]
    public void Working_hours_that_end_before_they_start_are_refused_naming_the_entry()
    {
        var proposal = new AvailabilityProposal("America/New_York", [new(DayOfWeek.Monday, "21:00", "17:00")], []);

        Assert.False(Availability.TryCreate(proposal, out _, out var errors));

        Assert.Equal("weeklyHours[0].to", Assert.Single(errors).Field);
    }

    [Fact]
    public void More_weekly_hours_or_time_off_than_the_slot_finder_takes_are_refused_naming_the_array()
    {
        var hours = Enumerable.Range(0, Availability.MaxWeeklyHours + 1).Select(_ => new WorkingHoursProposal(DayOfWeek.Monday, "09:00", "10:00")).ToList();
        var off = Enumerable.Range(0, Availability.MaxTimeOff + 1)
            .Select(i => new TimeOffProposal(NewYorkTime(2030, 1, 1, 9).AddDays(i), NewYorkTime(2030, 1, 1, 10).AddDays(i))).ToList();

        Assert.False(Availability.TryCreate(new("America/New_York", hours, null), out _, out var tooManyHours));
        Assert.False(Availability.TryCreate(new("America/New_York", null, off), out _, out var tooMuchOff));
        Assert.True(Availability.TryCreate(new("America/New_York", hours[..Availability.MaxWeeklyHours], off[..Availability.MaxTimeOff]), out _, out _));

        Assert.Equal("weeklyHours", Assert.Single(tooManyHours).Field);
        Assert.Equal("timeOff", Assert.Single(tooMuchOff).Field);
    }

    [Fact]
    public void Time_off_outside_2000_to_2100_is_refused_naming_the_entry()
    {
        var off = new TimeOffProposal(NewYorkTime(2030, 1, 1, 9), new DateTimeOffset(9999, 12, 31, 23, 59, 0, TimeSpan.Zero));

        Assert.False(Availability.TryCreate(new("America/New_York", null, [off]), out _, out var errors));

        Assert.Equal("timeOff[0].to", Assert.Single(errors).Field);
    }
}
