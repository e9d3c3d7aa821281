using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class HomeworkReminderRuleTests
{
    static readonly TimeZoneInfo Chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
    static readonly DateOnly DueOn = new(2026, 12, 10);
    static readonly DateTimeOffset Assigned = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Open_homework_is_reminded_at_ten_in_the_morning_the_day_before_it_is_due_on_the_patients_clock()
    {
        var reminder = HomeworkReminderRule.Plan(DueOn, Chicago, null, Assigned);

        Assert.Equal(new PlannedHomeworkReminder(new DateTimeOffset(2026, 12, 9, 10, 0, 0, TimeSpan.FromHours(-6)), null), reminder);
    }

    [Fact]
    public void The_day_before_is_read_across_a_daylight_saving_change()
    {
        var reminder = HomeworkReminderRule.Plan(new DateOnly(2026, 3, 9), Chicago, null, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.FromHours(-5)), reminder!.DueAt);
    }

    [Fact]
    public void A_reminder_that_falls_in_the_patients_quiet_hours_moves_to_just_before_they_begin()
    {
        var reminder = HomeworkReminderRule.Plan(DueOn, Chicago, new QuietHours(new TimeOnly(8, 0), new TimeOnly(12, 0)), Assigned);

        Assert.Equal(new DateTimeOffset(2026, 12, 9, 7, 59, 0, TimeSpan.FromHours(-6)), reminder!.DueAt);
        Assert.Contains("quiet hours", reminder.QuietHoursDetail);
    }

    [Fact]
    public void Content_assigned_after_the_reminder_time_plans_no_reminder()
    {
        Assert.Null(HomeworkReminderRule.Plan(DueOn, Chicago, null, new DateTimeOffset(2026, 12, 9, 16, 0, 0, TimeSpan.Zero)));
        Assert.Null(HomeworkReminderRule.Plan(DueOn, Chicago, null, new DateTimeOffset(2026, 12, 11, 0, 0, 0, TimeSpan.Zero)));
    }
}
