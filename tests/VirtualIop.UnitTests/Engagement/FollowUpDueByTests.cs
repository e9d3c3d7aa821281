using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class FollowUpDueByTests
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    static DateTimeOffset Local(int year, int month, int day, int hour, int minute, TimeZoneInfo zone)
    {
        var wall = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    [Fact]
    public void A_miss_detected_on_a_weekday_is_due_the_next_day_at_the_same_local_time()
    {
        var tuesday = Local(2026, 12, 1, 14, 30, NewYork);

        Assert.Equal(Local(2026, 12, 2, 14, 30, NewYork), FollowUpDueBy.ForMissedSession(tuesday, NewYork));
    }

    [Theory]
    [InlineData(4)] // Friday
    [InlineData(5)] // Saturday
    [InlineData(6)] // Sunday
    public void A_miss_detected_on_a_friday_or_over_the_weekend_is_due_monday(int day)
    {
        var detected = Local(2026, 12, day, 9, 0, NewYork);

        Assert.Equal(Local(2026, 12, 7, 9, 0, NewYork), FollowUpDueBy.ForMissedSession(detected, NewYork));
    }

    [Fact]
    public void The_local_hour_holds_when_the_clocks_change_over_the_weekend()
    {
        var fridayInWinterTime = Local(2026, 3, 6, 14, 0, NewYork);

        var due = FollowUpDueBy.ForMissedSession(fridayInWinterTime, NewYork);

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 14, 0, 0, TimeSpan.FromHours(-4)), due);
        Assert.Equal(TimeSpan.FromHours(71), due - fridayInWinterTime);
    }

    [Fact]
    public void The_local_time_follows_the_detection_not_utc()
    {
        // 03:30 UTC on Wednesday is still Tuesday evening in New York: due Wednesday evening, not Thursday.
        var detected = new DateTimeOffset(2026, 12, 2, 3, 30, 0, TimeSpan.Zero);

        Assert.Equal(Local(2026, 12, 2, 22, 30, NewYork), FollowUpDueBy.ForMissedSession(detected, NewYork));
    }

    [Fact]
    public void A_due_time_that_a_spring_forward_skips_moves_to_just_after_the_gap()
    {
        // A zone whose clocks go forward at 02:00 on a Wednesday (11 March): 02:30 does not exist that day.
        var midweek = TimeZoneInfo.CreateCustomTimeZone("Test/Midweek", TimeSpan.Zero, "Midweek", "Midweek", "Midweek Summer",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(new DateTime(2026, 1, 1), new DateTime(2026, 12, 31), TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 11),
                TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 28))
        ]);
        var tuesday = new DateTimeOffset(2026, 3, 10, 2, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 3, 11, 3, 0, 0, TimeSpan.FromHours(1)), FollowUpDueBy.ForMissedSession(tuesday, midweek));
    }
}
