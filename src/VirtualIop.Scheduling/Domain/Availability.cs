using System.Diagnostics.CodeAnalysis;
using VirtualIop.BuildingBlocks.Http;
using System.Globalization;

namespace VirtualIop.Scheduling.Domain;

/// <summary>Working hours on one weekday, in the clinician's local time; evenings are ordinary hours here.</summary>
public sealed record WorkingHours(DayOfWeek Day, TimeOnly From, TimeOnly To);

public sealed record TimeOff(DateTimeOffset From, DateTimeOffset To);

public sealed record WorkingHoursProposal(DayOfWeek? Day, string? From, string? To);

public sealed record TimeOffProposal(DateTimeOffset? From, DateTimeOffset? To);

public sealed record AvailabilityProposal(string? TimeZone, IReadOnlyList<WorkingHoursProposal?>? WeeklyHours, IReadOnlyList<TimeOffProposal?>? TimeOff);

/// <summary>A clinician's weekly working hours in their IANA time zone, plus time off.</summary>
/// <remarks>
/// At most <see cref="MaxWeeklyHours"/> windows and <see cref="MaxTimeOff"/> periods, each within 2000–2100: the slot
/// finder checks every entry at every step.
/// </remarks>
public sealed record Availability(string TimeZone, IReadOnlyList<WorkingHours> WeeklyHours, IReadOnlyList<TimeOff> TimeOff)
{
    /// <summary>Five windows a day, every day of the week.</summary>
    public const int MaxWeeklyHours = 35;

    public const int MaxTimeOff = 100;

    public static bool TryCreate(AvailabilityProposal proposal, [NotNullWhen(true)] out Availability? availability, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(proposal.TimeZone)) found.Add(new("timeZone", "The time zone is required."));
        else if (!InputBounds.IsIanaTimeZone(proposal.TimeZone))
            found.Add(new("timeZone", "The time zone must be a known IANA time zone, such as \"America/New_York\"."));

        var hours = new List<WorkingHours>();
        var weekly = proposal.WeeklyHours ?? [];
        var off = proposal.TimeOff ?? [];
        if (weekly.Count > MaxWeeklyHours) found.Add(new("weeklyHours", $"At most {MaxWeeklyHours} entries."));
        if (off.Count > MaxTimeOff) found.Add(new("timeOff", $"At most {MaxTimeOff} entries."));
        if (found.Any(e => e.Field is "weeklyHours" or "timeOff"))
        {
            errors = found;
            availability = null;
            return false;
        }

        for (var i = 0; i < weekly.Count; i++)
        {
            var w = weekly[i];
            if (w?.Day is not { } day) found.Add(new($"weeklyHours[{i}].day", "The weekday is required."));
            var from = ParseTime(w?.From);
            var to = ParseTime(w?.To);
            if (from is null) found.Add(new($"weeklyHours[{i}].from", "Expected a local time such as 09:00."));
            if (to is null) found.Add(new($"weeklyHours[{i}].to", "Expected a local time such as 21:00."));
            else if (from is not null && to <= from) found.Add(new($"weeklyHours[{i}].to", "Working hours must end after they start."));
            if (w?.Day is { } d && from is { } f && to is { } t && t > f) hours.Add(new WorkingHours(d, f, t));
        }

        var timeOff = new List<TimeOff>();
        for (var i = 0; i < off.Count; i++)
        {
            if (off[i]?.From is not { } from) found.Add(new($"timeOff[{i}].from", "The start of the time off is required."));
            else if (off[i]?.To is not { } to) found.Add(new($"timeOff[{i}].to", "The end of the time off is required."));
            else if (DateBounds.Check($"timeOff[{i}].from", from) is { } fromError) found.Add(fromError);
            else if (DateBounds.Check($"timeOff[{i}].to", to) is { } toError) found.Add(toError);
            else if (to <= from) found.Add(new($"timeOff[{i}].to", "Time off must end after it starts."));
            else timeOff.Add(new TimeOff(from.ToUniversalTime(), to.ToUniversalTime()));
        }

        errors = found;
        availability = found.Count == 0 ? new Availability(proposal.TimeZone!, hours, timeOff) : null;
        return availability is not null;
    }

    /// <summary>
    /// True when [start, end) lies inside one of the day's working-hours windows, read in the clinician's local time
    /// (so 18:00-21:00 means the same evening hours in winter and summer), and touches no time off.
    /// </summary>
    public bool Covers(DateTimeOffset start, DateTimeOffset end)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var localStart = TimeZoneInfo.ConvertTime(start, zone);
        var localEnd = TimeZoneInfo.ConvertTime(end, zone);
        var sameDay = localStart.Date == localEnd.Date || localEnd.TimeOfDay == TimeSpan.Zero && localEnd.Date == localStart.Date.AddDays(1);
        var endTime = localEnd.TimeOfDay == TimeSpan.Zero ? TimeOnly.MaxValue : TimeOnly.FromTimeSpan(localEnd.TimeOfDay);
        var withinHours = sameDay && WeeklyHours.Any(w =>
            w.Day == localStart.DayOfWeek && w.From <= TimeOnly.FromTimeSpan(localStart.TimeOfDay) && endTime <= w.To);
        return withinHours && !TimeOff.Any(off => start < off.To && off.From < end);
    }

    static TimeOnly? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time
        : text is "24:00" ? TimeOnly.MaxValue
        : null;
}
