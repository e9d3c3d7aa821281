namespace VirtualIop.Notification.Domain;

public sealed record PlannedReminder(TimeSpan Offset, DateTimeOffset DueAt);

/// <summary>When a session's reminders go out: one per configured offset before its start.</summary>
public static class ReminderPlanner
{
    public static IReadOnlyList<PlannedReminder> Plan(DateTimeOffset startsAt, IEnumerable<TimeSpan> offsets, DateTimeOffset now) =>
        offsets
            .Where(offset => offset > TimeSpan.Zero)
            .Distinct()
            .Select(offset => new PlannedReminder(offset, startsAt - offset))
            // An offset already past when the session is planned is dropped, not sent late: a "tomorrow"
            // reminder arriving an hour before the start says the wrong thing, and the next offset covers it.
            .Where(reminder => reminder.DueAt >= now)
            .OrderBy(reminder => reminder.DueAt)
            .ToList();
}
