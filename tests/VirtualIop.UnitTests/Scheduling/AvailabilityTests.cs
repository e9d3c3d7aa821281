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
}
