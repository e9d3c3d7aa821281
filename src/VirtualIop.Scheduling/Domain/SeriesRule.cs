using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace VirtualIop.Scheduling.Domain;

/// <summary>A recurring series as a clinic proposes it: an RFC 5545 RRULE and a first start in local wall-clock time.</summary>
public sealed record SeriesProposal(string? Rrule, string? StartsAtLocal, int? DurationMinutes, string? TimeZone);

/// <summary>One materialised occurrence: its number in the series (0-based, counted from the first) and its instants.</summary>
public sealed record SeriesOccurrence(int Index, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// A series that passed the rules. Occurrences are computed by Ical.Net in the series' IANA time zone, so a weekly
/// 18:00 session stays at 18:00 local time on both sides of a DST change (its UTC instant moves instead).
/// </summary>
public sealed record SeriesRule(string Rrule, DateTime FirstStartLocal, int DurationMinutes, string TimeZone)
{
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
        else if (!NewSession.IsKnownIanaTimeZone(proposal.TimeZone))
            found.Add(new("timeZone", "The time zone must be a known IANA time zone, such as \"America/New_York\"."));
        else zoneOk = true;

        var rrule = proposal.Rrule?.Trim();
        if (rrule is not null && rrule.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase)) rrule = rrule["RRULE:".Length..];
        if (string.IsNullOrEmpty(rrule)) found.Add(new("rrule", "The recurrence rule (RFC 5545 RRULE, such as \"FREQ=WEEKLY;BYDAY=MO,WE,TH\") is required."));
        else if (ParseError(rrule) is { } rruleError) found.Add(new("rrule", rruleError));

        DateTime local = default;
        if (string.IsNullOrWhiteSpace(proposal.StartsAtLocal))
            found.Add(new("startsAtLocal", "The first start, in local wall-clock time (such as 2030-03-04T18:00), is required."));
        else if (!DateTime.TryParseExact(proposal.StartsAtLocal, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
            found.Add(new("startsAtLocal", "Expected local wall-clock time without an offset, such as 2030-03-04T18:00."));
        else if (zoneOk)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(proposal.TimeZone!);
            if (zone.IsInvalidTime(local)) found.Add(new("startsAtLocal", "That local time does not exist in the time zone (a DST gap)."));
            else if (new DateTimeOffset(local, zone.GetUtcOffset(local)) <= now) found.Add(new("startsAtLocal", "A series must start in the future."));
        }

        if (proposal.DurationMinutes is not { } duration) found.Add(new("durationMinutes", "The duration is required."));
        else if (duration < minDurationMinutes || duration > NewSession.MaxDurationMinutes)
            found.Add(new("durationMinutes", $"The duration must be {minDurationMinutes} to {NewSession.MaxDurationMinutes} minutes."));

        errors = found;
        if (found.Count > 0) return false;

        var candidate = new SeriesRule(rrule!, local, proposal.DurationMinutes!.Value, proposal.TimeZone!);
        if (candidate.Enumerate(DateTimeOffset.MaxValue, max: 1).Count == 0)
        {
            errors = [new FieldError("rrule", "The recurrence rule produces no occurrence.")];
            return false;
        }
        rule = candidate;
        return true;
    }

    /// <summary>The occurrences starting in [from, until), numbered from the series' first occurrence.</summary>
    public IReadOnlyList<SeriesOccurrence> OccurrencesBetween(DateTimeOffset from, DateTimeOffset until) =>
        Enumerate(until, int.MaxValue).Where(o => o.StartsAt >= from).ToList();

    List<SeriesOccurrence> Enumerate(DateTimeOffset until, int max)
    {
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

    /// <summary>Ical.Net parses the rule; sub-daily frequencies make no sense for therapy sessions and are refused.</summary>
    static string? ParseError(string rrule)
    {
        try
        {
            var pattern = new RecurrencePattern(rrule);
            if (!rrule.Contains("FREQ=", StringComparison.OrdinalIgnoreCase)) return "The recurrence rule needs a FREQ part.";
            return pattern.Frequency < FrequencyType.Daily
                ? "Sessions recur daily at most: use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."
                : null;
        }
        catch (ArgumentException e)
        {
            return $"Not a valid RFC 5545 recurrence rule: {e.Message}";
        }
    }
}

/// <summary>Which curriculum topic an occurrence teaches: the topics in order, starting again after the last.</summary>
public static class Curriculum
{
    public static Topic TopicFor(int occurrenceIndex, IReadOnlyList<Topic> topics) => topics[occurrenceIndex % topics.Count];
}
