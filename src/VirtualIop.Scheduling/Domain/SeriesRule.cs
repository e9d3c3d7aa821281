using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Scheduling.Domain;

/// <summary>A recurring series as a clinic proposes it: an RFC 5545 RRULE and a first start in local wall-clock time.</summary>
public sealed record SeriesProposal(string? Rrule, string? StartsAtLocal, int? DurationMinutes, string? TimeZone);

/// <summary>One materialised occurrence: its number in the series (0-based, counted from the first) and its instants.</summary>
public sealed record SeriesOccurrence(int Index, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// A series that passed the rules. Occurrences are computed by Ical.Net in the series' IANA time zone, so a weekly
/// 18:00 session stays at 18:00 local time on both sides of a DST change (its UTC instant moves instead).
/// </summary>
/// <remarks>
/// The work one series can cause is bounded: at most one occurrence a day (FREQ is DAILY or slower, BYHOUR, BYMINUTE and
/// BYSECOND take one value each, BYSETPOS is refused), at most <see cref="MaxCount"/> when the rule counts, an INTERVAL
/// of at most <see cref="MaxInterval"/>, and nothing before 2000 or from 2100 on, so no enumeration runs past
/// <see cref="MaxOccurrences"/> occurrences.
/// </remarks>
public sealed record SeriesRule(string Rrule, DateTime FirstStartLocal, int DurationMinutes, string TimeZone)
{
    /// <summary>The most occurrences a series can have in one day.</summary>
    public const int MaxOccurrencesPerDay = 1;

    /// <summary>The largest COUNT a rule may give.</summary>
    public const int MaxCount = 1000;

    /// <summary>The largest INTERVAL a rule may give (every 100 days, weeks, months or years).</summary>
    public const int MaxInterval = 100;

    /// <summary>The longest RRULE text accepted.</summary>
    public const int MaxRruleLength = InputBounds.MaxShortText;

    /// <summary>The most occurrences any enumeration yields: one a day from 2000 until 2100.</summary>
    public const int MaxOccurrences = 36_525;

    static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];
    const int MaxUnmatchedIncrements = 1000;

    public static bool TryCreate(
        SeriesProposal proposal,
        DateTimeOffset now,
        [NotNullWhen(true)] out SeriesRule? rule,
        out IReadOnlyList<FieldError> errors,
        int minDurationMinutes = NewSession.DefaultMinDurationMinutes)
    {
        var found = new List<FieldError>();
        rule = null;

        var zoneOk = false;
        if (string.IsNullOrWhiteSpace(proposal.TimeZone)) found.Add(new("timeZone", "The time zone is required."));
        else if (!InputBounds.IsIanaTimeZone(proposal.TimeZone))
            found.Add(new("timeZone", "The time zone must be a known IANA time zone, such as \"America/New_York\"."));
        else zoneOk = true;

        var rrule = proposal.Rrule?.Trim();
        if (rrule is not null && rrule.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase)) rrule = rrule["RRULE:".Length..];
        if (string.IsNullOrEmpty(rrule)) found.Add(new("rrule", "The recurrence rule (RFC 5545 RRULE, such as \"FREQ=WEEKLY;BYDAY=MO,WE,TH\") is required."));
        else if (rrule.Length > MaxRruleLength) found.Add(new("rrule", $"The recurrence rule may have at most {MaxRruleLength} characters."));
        else if (ParseError(rrule) is { } rruleError) found.Add(new("rrule", rruleError));

        DateTime local = default;
        if (string.IsNullOrWhiteSpace(proposal.StartsAtLocal))
            found.Add(new("startsAtLocal", "The first start, in local wall-clock time (such as 2030-03-04T18:00), is required."));
        else if (!DateTime.TryParseExact(proposal.StartsAtLocal, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
            found.Add(new("startsAtLocal", "Expected local wall-clock time without an offset, such as 2030-03-04T18:00."));
        // A local year within 2000–2099 keeps the offset arithmetic below from overflowing; the instant is checked after.
        else if (local.Year is < 2000 or > 2099) found.Add(new("startsAtLocal", DateBounds.Message));
        else if (zoneOk)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(proposal.TimeZone!);
            var instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
            if (zone.IsInvalidTime(local)) found.Add(new("startsAtLocal", "That local time does not exist in the time zone (a DST gap)."));
            else if (!InputBounds.IsWithin(instant)) found.Add(new("startsAtLocal", DateBounds.Message));
            else if (instant <= now) found.Add(new("startsAtLocal", "A series must start in the future."));
        }

        if (proposal.DurationMinutes is not { } duration) found.Add(new("durationMinutes", "The duration is required."));
        else if (duration < minDurationMinutes || duration > NewSession.MaxDurationMinutes)
            found.Add(new("durationMinutes", $"The duration must be {minDurationMinutes} to {NewSession.MaxDurationMinutes} minutes."));

        errors = found;
        if (found.Count > 0) return false;

        var candidate = new SeriesRule(rrule!, local, proposal.DurationMinutes!.Value, proposal.TimeZone!);
        if (candidate.Enumerate(InputBounds.End, max: 1).Count == 0)
        {
            errors = [new FieldError("rrule", "The recurrence rule produces no occurrence.")];
            return false;
        }
        rule = candidate;
        return true;
    }

    /// <summary>Whether the series' first occurrence starts before <paramref name="instant"/>.</summary>
    public bool OccursBefore(DateTimeOffset instant) => Enumerate(instant, max: 1).Count > 0;

    /// <summary>The occurrences starting in [from, until), numbered from the series' first occurrence.</summary>
    /// <remarks>Nothing from 2100 on is enumerated, so even an open-ended daily rule yields at most <see cref="MaxOccurrences"/>.</remarks>
    public IReadOnlyList<SeriesOccurrence> OccurrencesBetween(DateTimeOffset from, DateTimeOffset until) =>
        Enumerate(until, MaxOccurrences).Where(o => o.StartsAt >= from).ToList();

    List<SeriesOccurrence> Enumerate(DateTimeOffset until, int max)
    {
        if (until > InputBounds.End) until = InputBounds.End;
        var series = new CalendarEvent
        {
            DtStart = new CalDateTime(FirstStartLocal, TimeZone, hasTime: true),
            RecurrenceRule = new RecurrencePattern(Rrule)
        };
        var list = new List<SeriesOccurrence>();
        try
        {
            var index = 0;
            foreach (var occurrence in series.GetOccurrences(null, new EvaluationOptions { MaxUnmatchedIncrementsLimit = MaxUnmatchedIncrements }))
            {
                var startsAt = new DateTimeOffset(DateTime.SpecifyKind(occurrence.Period.StartTime.AsUtc, DateTimeKind.Utc));
                if (startsAt >= until || list.Count >= max) break;
                list.Add(new SeriesOccurrence(index++, startsAt, startsAt.AddMinutes(DurationMinutes)));
            }
        }
        catch (EvaluationException)
        {
            // An RRULE whose increments never match (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30) ends the enumeration here.
        }
        return list;
    }

    /// <summary>
    /// Ical.Net parses the rule. Sub-daily frequencies make no sense for therapy sessions and are refused, as is every
    /// part that would expand one period into several sessions a day or leave the bounds above.
    /// </summary>
    static string? ParseError(string rrule)
    {
        RecurrencePattern pattern;
        try
        {
            pattern = new RecurrencePattern(rrule);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            return $"Not a valid RFC 5545 recurrence rule: {e.Message}";
        }
        if (!rrule.Contains("FREQ=", StringComparison.OrdinalIgnoreCase)) return "The recurrence rule needs a FREQ part.";
        if (pattern.Frequency < FrequencyType.Daily) return "Sessions recur daily at most: use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.";
        if (pattern.ByHour.Count > 1 || pattern.ByMinute.Count > 1 || pattern.BySecond.Count > 1)
            return $"BYHOUR, BYMINUTE and BYSECOND take one value each: a series has at most {MaxOccurrencesPerDay} session a day.";
        if (pattern.BySetPosition.Count > 0) return "BYSETPOS is not supported; name the days with BYDAY, BYMONTHDAY or BYYEARDAY.";
        if (pattern.Count is { } count && count is < 1 or > MaxCount) return $"COUNT is 1 to {MaxCount}.";
        if (pattern.Interval is < 1 or > MaxInterval) return $"INTERVAL is 1 to {MaxInterval}.";
        if (pattern.Until is { } until && until.Value.Year is < 2000 or > 2099) return "UNTIL must lie on or after 2000-01-01 and before 2100-01-01.";
        return null;
    }
}

/// <summary>Which curriculum topic an occurrence teaches: the topics in order, starting again after the last.</summary>
public static class Curriculum
{
    public static Topic TopicFor(int occurrenceIndex, IReadOnlyList<Topic> topics) => topics[occurrenceIndex % topics.Count];
}
