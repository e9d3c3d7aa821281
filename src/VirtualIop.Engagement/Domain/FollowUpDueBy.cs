namespace VirtualIop.Engagement.Domain;

/// <summary>
/// A follow-up on a missed session is due by the next business day, at the same local time as the miss was
/// detected: a miss on Tuesday afternoon is due Wednesday afternoon, one on Friday (or over the weekend) is
/// due Monday. Local time is the session's time zone, so a clock change in between does not move the hour.
/// Public holidays are not known here and count as business days.
/// </summary>
public static class FollowUpDueBy
{
    public static DateTimeOffset ForMissedSession(DateTimeOffset detectedAt, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(detectedAt, zone);
        var day = DateOnly.FromDateTime(local.DateTime).AddDays(1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        return AtLocalTime(day.ToDateTime(TimeOnly.FromDateTime(local.DateTime)), zone);
    }

    static DateTimeOffset AtLocalTime(DateTime wallClock, TimeZoneInfo zone)
    {
        // A time skipped by a spring-forward change moves to just after the gap; a repeated one
        // (fall back) takes its first occurrence, the earlier instant.
        while (zone.IsInvalidTime(wallClock)) wallClock = wallClock.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(wallClock) ? zone.GetAmbiguousTimeOffsets(wallClock).Max() : zone.GetUtcOffset(wallClock);
        return new DateTimeOffset(wallClock, offset);
    }
}
