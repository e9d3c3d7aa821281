namespace VirtualIop.Scheduling.Domain;

/// <summary>An individual session a patient's plan booked, as the modality rule sees it.</summary>
public sealed record PlanBooking(Guid SessionId, DateTimeOffset StartsAt);

/// <summary>
/// One week of a patient's individual sessions under their modality: the window to book <see cref="ToBook"/> more in
/// (From to Until), and the plan's bookings of that week to cancel.
/// </summary>
public sealed record IndividualWeek(DateOnly Monday, DateTimeOffset From, DateTimeOffset Until, int ToBook, IReadOnlyList<Guid> ToCancel);

/// <summary>
/// How a modality turns into individual sessions. Individual: the patient's planned sessions a week (their recorded
/// frequency, else as many as their cohort meets a week, at least one), all one-on-one; hybrid: the group sessions stay and
/// one individual session a week is added; group: none. Weeks run Monday to Sunday in the cohort's time zone, as for
/// the frequency rule, and every booking of the plan in a week counts towards its number, those before the change
/// included. At most one individual session a day: the search after a booking starts at the next local midnight.
/// </summary>
public static class IndividualSessions
{
    public const string Group = "group";
    public const string Individual = "individual";
    public const string Hybrid = "hybrid";

    /// <summary>How many individual sessions a week the modality asks for.</summary>
    public static int PerWeek(string? modality, int? plannedSessionsPerWeek, int cohortSessionsPerWeek) => modality switch
    {
        Individual => plannedSessionsPerWeek ?? Math.Max(1, cohortSessionsPerWeek),
        Hybrid => 1,
        _ => 0
    };

    /// <summary>Whether the patient stays on their cohort's group sessions under the modality (no modality: group).</summary>
    public static bool KeepsGroup(string? modality) => modality != Individual;

    /// <summary>The most occurrences the cohort has in any one week; 0 with none.</summary>
    public static int CohortSessionsPerWeek(IEnumerable<CohortOccurrence> occurrences) =>
        occurrences.GroupBy(WeeklyParticipation.WeekOf).Select(w => w.Count()).DefaultIfEmpty(0).Max();

    /// <summary>
    /// The weeks from the one holding <paramref name="governedFrom"/> to the one holding <paramref name="until"/>, or the
    /// last booking when later: what to book in each (nothing after <paramref name="until"/>) and which bookings to cancel
    /// (the latest first, only those starting at or after <paramref name="governedFrom"/>).
    /// </summary>
    public static IReadOnlyList<IndividualWeek> Plan(IReadOnlyList<PlanBooking> booked, int perWeek, DateTimeOffset governedFrom,
        DateTimeOffset until, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var last = booked.Select(b => b.StartsAt).Append(until).Max();
        var byWeek = booked.ToLookup(b => MondayOf(b.StartsAt, zone));
        var weeks = new List<IndividualWeek>();
        for (var monday = MondayOf(governedFrom, zone); LocalMidnight(monday, zone) <= last; monday = monday.AddDays(7))
        {
            var weekStart = LocalMidnight(monday, zone);
            var weekEnd = LocalMidnight(monday.AddDays(7), zone);
            var ofWeek = byWeek[monday].ToList();
            var surplus = Math.Max(0, ofWeek.Count - perWeek);
            var toCancel = ofWeek.Where(b => b.StartsAt >= governedFrom).OrderByDescending(b => b.StartsAt).ThenBy(b => b.SessionId)
                .Take(surplus).Select(b => b.SessionId).ToList();
            var from = weekStart > governedFrom ? weekStart : governedFrom;
            var to = weekEnd < until ? weekEnd : until;
            var toBook = from < to ? Math.Max(0, perWeek - ofWeek.Count) : 0;
            if (toBook > 0 || toCancel.Count > 0) weeks.Add(new IndividualWeek(monday, from, to, toBook, toCancel));
        }
        return weeks;
    }

    /// <summary>Where the search for the next individual session starts after one booked at <paramref name="bookedAt"/>: the next local midnight.</summary>
    public static DateTimeOffset NextDay(DateTimeOffset bookedAt, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        return LocalMidnight(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(bookedAt, zone).DateTime).AddDays(1), zone);
    }

    /// <summary>The instant a local date starts in the zone (the first valid local time when midnight is skipped).</summary>
    public static DateTimeOffset LocalMidnight(DateOnly date, string timeZone) => LocalMidnight(date, TimeZoneInfo.FindSystemTimeZoneById(timeZone));

    static DateTimeOffset LocalMidnight(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    static DateOnly MondayOf(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
        return date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
    }
}
