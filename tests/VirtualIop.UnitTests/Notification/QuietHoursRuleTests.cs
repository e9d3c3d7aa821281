using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class QuietHoursRuleTests
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    static readonly QuietHours Overnight = new(new TimeOnly(21, 0), new TimeOnly(8, 0));
    static readonly DateTimeOffset LongAgo = DateTimeOffset.MinValue;

    static DateTimeOffset At(TimeZoneInfo zone, int year, int month, int day, int hour, int minute) =>
        QuietHoursRule.ToInstant(new DateTime(year, month, day, hour, minute, 0), zone);

    [Fact]
    public void A_reminder_outside_quiet_hours_is_kept()
    {
        var due = At(NewYork, 2026, 12, 2, 17, 0);

        Assert.Equal(new QuietHoursDecision.Keep(due), QuietHoursRule.Apply(due, LongAgo, Overnight, NewYork));
    }

    [Fact]
    public void Without_quiet_hours_every_reminder_is_kept()
    {
        var due = At(NewYork, 2026, 12, 2, 3, 0);

        Assert.IsType<QuietHoursDecision.Keep>(QuietHoursRule.Apply(due, LongAgo, null, NewYork));
    }

    [Fact]
    public void A_late_evening_reminder_moves_to_the_minute_before_quiet_hours_begin()
    {
        var moved = Assert.IsType<QuietHoursDecision.Moved>(QuietHoursRule.Apply(At(NewYork, 2026, 12, 2, 23, 30), LongAgo, Overnight, NewYork));

        Assert.Equal(At(NewYork, 2026, 12, 2, 20, 59), moved.DueAt);
        Assert.Contains("quiet hours (21:00-08:00 America/New_York)", moved.Reason);
    }

    [Fact]
    public void An_early_morning_reminder_moves_back_to_the_evening_before_across_midnight()
    {
        var moved = Assert.IsType<QuietHoursDecision.Moved>(QuietHoursRule.Apply(At(NewYork, 2026, 12, 3, 6, 0), LongAgo, Overnight, NewYork));

        Assert.Equal(At(NewYork, 2026, 12, 2, 20, 59), moved.DueAt);
    }

    [Fact]
    public void The_end_of_quiet_hours_is_already_allowed_and_the_start_is_not()
    {
        Assert.IsType<QuietHoursDecision.Keep>(QuietHoursRule.Apply(At(NewYork, 2026, 12, 3, 8, 0), LongAgo, Overnight, NewYork));
        Assert.IsType<QuietHoursDecision.Moved>(QuietHoursRule.Apply(At(NewYork, 2026, 12, 2, 21, 0), LongAgo, Overnight, NewYork));
    }

    [Fact]
    public void Quiet_hours_within_one_day_move_a_reminder_to_just_before_they_begin()
    {
        var lunch = new QuietHours(new TimeOnly(12, 0), new TimeOnly(13, 0));

        var moved = Assert.IsType<QuietHoursDecision.Moved>(QuietHoursRule.Apply(At(London, 2026, 12, 2, 12, 30), LongAgo, lunch, London));

        Assert.Equal(At(London, 2026, 12, 2, 11, 59), moved.DueAt);
        Assert.IsType<QuietHoursDecision.Keep>(QuietHoursRule.Apply(At(London, 2026, 12, 2, 23, 30), LongAgo, lunch, London));
    }

    [Fact]
    public void Across_the_spring_forward_night_the_moved_reminder_is_on_the_evening_wall_clock_before()
    {
        // 8 March 2026: New York jumps from 02:00 EST to 03:00 EDT. A 07:00 EDT reminder moves to 20:59 EST the evening before.
        var moved = Assert.IsType<QuietHoursDecision.Moved>(QuietHoursRule.Apply(At(NewYork, 2026, 3, 8, 7, 0), LongAgo, Overnight, NewYork));

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 1, 59, 0, TimeSpan.Zero), moved.DueAt);
    }

    [Fact]
    public void Across_the_fall_back_night_the_moved_reminder_is_on_the_evening_wall_clock_before()
    {
        // 25 October 2026: London falls back from BST to GMT at 02:00. A 07:00 GMT reminder moves to 20:59 BST the evening before.
        var moved = Assert.IsType<QuietHoursDecision.Moved>(QuietHoursRule.Apply(At(London, 2026, 10, 25, 7, 0), LongAgo, Overnight, London));

        Assert.Equal(new DateTimeOffset(2026, 10, 24, 19, 59, 0, TimeSpan.Zero), moved.DueAt);
    }

    [Fact]
    public void Quiet_hours_that_begin_in_the_skipped_hour_begin_once_the_clock_has_jumped()
    {
        var fromHalfPastTwo = new QuietHours(new TimeOnly(2, 30), new TimeOnly(6, 0));

        var moved = Assert.IsType<QuietHoursDecision.Moved>(QuietHoursRule.Apply(At(NewYork, 2026, 3, 8, 5, 0), LongAgo, fromHalfPastTwo, NewYork));

        // 02:30 does not exist that night; it is read as 03:30 EDT (07:30Z), so the reminder goes at 07:29Z.
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 29, 0, TimeSpan.Zero), moved.DueAt);
    }

    [Fact]
    public void When_the_time_before_quiet_hours_has_passed_the_reminder_is_skipped_with_the_reason()
    {
        var due = At(NewYork, 2026, 12, 2, 23, 30);

        var skip = Assert.IsType<QuietHoursDecision.Skip>(QuietHoursRule.Apply(due, notBefore: At(NewYork, 2026, 12, 2, 22, 0), Overnight, NewYork));

        Assert.Contains("no earlier time was left", skip.Reason);
    }
}
