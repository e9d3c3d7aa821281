using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class ReminderPlannerTests
{
    static readonly DateTimeOffset Start = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan[] DayAndHour = [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];

    [Fact]
    public void Each_offset_gives_a_reminder_that_long_before_the_start()
    {
        var plan = ReminderPlanner.Plan(Start, DayAndHour, now: Start.AddDays(-3));

        Assert.Equal(
            [new PlannedReminder(TimeSpan.FromDays(1), Start.AddDays(-1)), new PlannedReminder(TimeSpan.FromHours(1), Start.AddHours(-1))],
            plan);
    }

    [Fact]
    public void An_offset_already_past_when_the_session_is_scheduled_is_not_planned()
    {
        var plan = ReminderPlanner.Plan(Start, DayAndHour, now: Start.AddHours(-5));

        var only = Assert.Single(plan);
        Assert.Equal(TimeSpan.FromHours(1), only.Offset);
    }

    [Fact]
    public void A_session_scheduled_too_late_for_every_offset_gets_no_reminder()
    {
        Assert.Empty(ReminderPlanner.Plan(Start, DayAndHour, now: Start.AddMinutes(-30)));
    }

    [Fact]
    public void A_session_that_has_started_gets_no_reminder()
    {
        Assert.Empty(ReminderPlanner.Plan(Start, DayAndHour, now: Start.AddMinutes(5)));
    }

    [Fact]
    public void A_reminder_due_exactly_now_is_kept()
    {
        var plan = ReminderPlanner.Plan(Start, DayAndHour, now: Start.AddHours(-1));

        Assert.Equal(Start.AddHours(-1), Assert.Single(plan).DueAt);
    }

    [Fact]
    public void Repeated_zero_and_negative_offsets_add_nothing()
    {
        var plan = ReminderPlanner.Plan(Start, [TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.FromHours(-2)], now: Start.AddDays(-1));

        Assert.Equal(TimeSpan.FromHours(1), Assert.Single(plan).Offset);
    }

    [Fact]
    public void A_plan_with_a_join_alert_adds_it_last_with_the_join_kind()
    {
        var plan = ReminderPlanner.Plan(Start, DayAndHour, now: Start.AddDays(-3), joinAlert: TimeSpan.FromMinutes(10));

        Assert.Equal(new PlannedReminder(TimeSpan.FromMinutes(10), Start.AddMinutes(-10), DeliveryKind.JoinAlert), plan[^1]);
        Assert.Equal(3, plan.Count);
    }
}
