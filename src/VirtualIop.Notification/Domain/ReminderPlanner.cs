namespace VirtualIop.Notification.Domain;

public sealed record PlannedReminder(TimeSpan Offset, DateTimeOffset DueAt, DeliveryKind Kind = DeliveryKind.Reminder);

/// <summary>When a session's reminders go out: one per configured offset before its start, plus the join alert when the plan has one.</summary>
public static class ReminderPlanner
{
    public static IReadOnlyList<PlannedReminder> Plan(DateTimeOffset startsAt, IEnumerable<TimeSpan> offsets, DateTimeOffset now, TimeSpan? joinAlert = null) =>
        offsets
            .Where(offset => offset > TimeSpan.Zero)
            .Distinct()
            .Select(offset => new PlannedReminder(offset, startsAt - offset))
            .Concat(joinAlert is { } alert && alert > TimeSpan.Zero ? [new PlannedReminder(alert, startsAt - alert, DeliveryKind.JoinAlert)] : [])
            // An offset already past when the session is planned is dropped, not sent late: a "tomorrow"
            // reminder arriving an hour before the start says the wrong thing, and the next offset covers it.
            .Where(reminder => reminder.DueAt >= now)
            .OrderBy(reminder => reminder.DueAt)
            .ToList();
}
