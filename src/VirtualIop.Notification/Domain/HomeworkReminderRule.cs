namespace VirtualIop.Notification.Domain;

/// <summary>A reminder of catch-up homework still open: when it is due, and why it moved (out of quiet hours).</summary>
public sealed record PlannedHomeworkReminder(DateTimeOffset DueAt, string? QuietHoursDetail);

/// <summary>
/// Homework from a catch-up package that is still open is worth one gentle reminder: the morning of the day before it
/// is due, on the patient's wall clock, kept out of their quiet hours like a session reminder. When that moment has
/// already passed (the content came late), no reminder is planned: the message that the catch-up is ready has just
/// gone out.
/// </summary>
public static class HomeworkReminderRule
{
    /// <summary>The wall-clock time of day, the day before the due date, the reminder is meant for.</summary>
    public static readonly TimeOnly LocalTime = new(10, 0);

    public static PlannedHomeworkReminder? Plan(DateOnly dueOn, TimeZoneInfo zone, QuietHours? quiet, DateTimeOffset now)
    {
        var at = QuietHoursRule.ToInstant(dueOn.AddDays(-1).ToDateTime(LocalTime), zone);
        if (at <= now) return null;
        return QuietHoursRule.Apply(at, now, quiet, zone) switch
        {
            QuietHoursDecision.Moved moved => new PlannedHomeworkReminder(moved.DueAt, moved.Reason),
            QuietHoursDecision.Skip => null,
            _ => new PlannedHomeworkReminder(at, null)
        };
    }
}
