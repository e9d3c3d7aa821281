namespace VirtualIop.Notification.Domain;

public abstract record QuietHoursDecision
{
    /// <summary>Outside quiet hours: due as planned.</summary>
    public sealed record Keep(DateTimeOffset DueAt) : QuietHoursDecision;

    /// <summary>Inside quiet hours: moved to the last minute before they began.</summary>
    public sealed record Moved(DateTimeOffset DueAt, string Reason) : QuietHoursDecision;

    /// <summary>Inside quiet hours, and the time before them has already passed: not sent.</summary>
    public sealed record Skip(string Reason) : QuietHoursDecision;
}

/// <summary>
/// Keeps reminders out of a patient's quiet hours, read on the patient's own wall clock. A reminder that would fall
/// inside them moves to the nearest allowed earlier time (the minute before they began), so it still arrives before
/// the session; when that moment has already passed, it is skipped and the reason recorded.
/// </summary>
public static class QuietHoursRule
{
    public static QuietHoursDecision Apply(DateTimeOffset dueAt, DateTimeOffset notBefore, QuietHours? quiet, TimeZoneInfo zone)
    {
        if (quiet is null) return new QuietHoursDecision.Keep(dueAt);
        var local = TimeZoneInfo.ConvertTime(dueAt, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        var spansMidnight = quiet.Start > quiet.End;
        var inside = spansMidnight ? time >= quiet.Start || time < quiet.End : time >= quiet.Start && time < quiet.End;
        if (!inside) return new QuietHoursDecision.Keep(dueAt);

        // The quiet period this moment belongs to began today, or yesterday for the early-morning part of an overnight one.
        var day = DateOnly.FromDateTime(local);
        if (spansMidnight && time < quiet.End) day = day.AddDays(-1);
        var began = ToInstant(day.ToDateTime(quiet.Start), zone);
        var moved = began - TimeSpan.FromMinutes(1);
        return moved >= notBefore
            ? new QuietHoursDecision.Moved(moved, $"Moved earlier, out of the patient's quiet hours ({quiet.Start:HH\\:mm}-{quiet.End:HH\\:mm} {zone.Id}).")
            : new QuietHoursDecision.Skip($"Falls in the patient's quiet hours ({quiet.Start:HH\\:mm}-{quiet.End:HH\\:mm} {zone.Id}) and no earlier time was left.");
    }

    /// <summary>
    /// A wall-clock time as an instant. In the hour clocks skip, the time is read with the offset from before the
    /// jump (02:30 becomes 03:30); in the hour they repeat, the first occurrence is taken, the earlier instant.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime wallClock, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(unspecified))
            return new DateTimeOffset(unspecified, zone.GetAmbiguousTimeOffsets(unspecified).Max());
        if (zone.IsInvalidTime(unspecified))
            return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified.AddHours(-3)));
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }
}
