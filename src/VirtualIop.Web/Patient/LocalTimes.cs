using System.Globalization;

namespace VirtualIop.Web.Patient;

/// <summary>Instants shown in the patient's own time zone, in the words of their language.</summary>
public static class LocalTimes
{
    /// <summary>The patient's zone from their contact preferences, else the session's, else UTC; unknown names are skipped.</summary>
    public static TimeZoneInfo Zone(params string?[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate) && TimeZoneInfo.TryFindSystemTimeZoneById(candidate, out var zone)) return zone;
        }
        return TimeZoneInfo.Utc;
    }

    /// <summary>"Tuesday, December 8, 2026, 6:00 PM – 7:30 PM" (the end's date is named only when it differs).</summary>
    public static string Span(DateTimeOffset startsAt, DateTimeOffset endsAt, TimeZoneInfo zone, CultureInfo culture)
    {
        var start = TimeZoneInfo.ConvertTime(startsAt, zone);
        var end = TimeZoneInfo.ConvertTime(endsAt, zone);
        var endText = end.Date == start.Date ? end.ToString("t", culture) : $"{end.ToString("D", culture)}, {end.ToString("t", culture)}";
        return $"{start.ToString("D", culture)}, {start.ToString("t", culture)} – {endText}";
    }

    /// <summary>"Tuesday, December 8, 2026, 6:00 PM".</summary>
    public static string Instant(DateTimeOffset instant, TimeZoneInfo zone, CultureInfo culture)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return $"{local.ToString("D", culture)}, {local.ToString("t", culture)}";
    }
}
