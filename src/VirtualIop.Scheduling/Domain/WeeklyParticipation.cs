namespace VirtualIop.Scheduling.Domain;

/// <summary>One scheduled occurrence of a cohort's series, as the frequency rule sees it.</summary>
public sealed record CohortOccurrence(Guid SessionId, Guid CohortId, DateTimeOffset StartsAt, string TimeZone);

/// <summary>A patient's planned frequency: so many sessions a week, from a local date on (null: from now on).</summary>
public sealed record FrequencyPlan(int SessionsPerWeek, DateOnly? EffectiveFrom);

/// <summary>What a frequency does to a patient's future sessions: those they stay on, leave and join.</summary>
public sealed record ParticipationChange(IReadOnlyList<CohortOccurrence> Kept, IReadOnlyList<CohortOccurrence> Dropped,
    IReadOnlyList<CohortOccurrence> Added);

/// <summary>
/// Which of a cohort's occurrences a patient on a planned frequency takes part in. The rule: in each week, Monday to
/// Sunday in the session's own time zone, the patient is on the first N of the cohort's scheduled series occurrences of
/// that week, by start time, and off the others. Every scheduled occurrence of the week counts towards N, those before
/// the effective date and past ones included, so a change made mid-week keeps that week's total at N. Only sessions that have not started and whose local date is on or after the
/// effective date change; a later cancellation does not move the patient onto another occurrence of that week.
/// </summary>
public static class WeeklyParticipation
{
    /// <summary>The occurrences the patient takes part in, of every cohort and week given.</summary>
    public static IReadOnlySet<Guid> Chosen(IEnumerable<CohortOccurrence> occurrences, int sessionsPerWeek) =>
        occurrences
            .GroupBy(o => (o.CohortId, Week: WeekOf(o)))
            .SelectMany(week => week.OrderBy(o => o.StartsAt).ThenBy(o => o.SessionId).Take(sessionsPerWeek))
            .Select(o => o.SessionId)
            .ToHashSet();

    /// <summary>Whether the plan governs this occurrence: it has not started and falls on or after the effective date.</summary>
    public static bool Governs(FrequencyPlan plan, CohortOccurrence occurrence, DateTimeOffset now) =>
        occurrence.StartsAt > now && (plan.EffectiveFrom is not { } from || LocalDate(occurrence) >= from);

    /// <summary>
    /// What the plan changes, given the cohort's scheduled occurrences (whole weeks, so the count per week is right) and
    /// the sessions the patient is on now.
    /// </summary>
    public static ParticipationChange Change(IReadOnlyList<CohortOccurrence> occurrences, IReadOnlySet<Guid> onRoster, FrequencyPlan plan,
        DateTimeOffset now)
    {
        var chosen = Chosen(occurrences, plan.SessionsPerWeek);
        var governed = occurrences.Where(o => Governs(plan, o, now)).OrderBy(o => o.StartsAt).ThenBy(o => o.SessionId).ToList();
        return new ParticipationChange(
            governed.Where(o => chosen.Contains(o.SessionId) && onRoster.Contains(o.SessionId)).ToList(),
            governed.Where(o => !chosen.Contains(o.SessionId) && onRoster.Contains(o.SessionId)).ToList(),
            governed.Where(o => chosen.Contains(o.SessionId) && !onRoster.Contains(o.SessionId)).ToList());
    }

    /// <summary>The Monday that starts the occurrence's week, in its own time zone.</summary>
    public static DateOnly WeekOf(CohortOccurrence occurrence)
    {
        var date = LocalDate(occurrence);
        return date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
    }

    static DateOnly LocalDate(CohortOccurrence occurrence) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(occurrence.StartsAt, TimeZoneInfo.FindSystemTimeZoneById(occurrence.TimeZone)).DateTime);

    /// <summary>How far before a date a load must reach to hold the whole week around it, in any time zone.</summary>
    public static readonly TimeSpan WeekLookBack = TimeSpan.FromDays(8);
}
