namespace VirtualIop.Attendance.Domain;

/// <summary>
/// A program's billing settings: a day is billable once the patient's attended minutes in the program reach
/// <paramref name="MinimumMinutesPerDay"/>; the codes are copied onto every billable day (HCPCS e.g. H0015, revenue
/// code e.g. 0906), null when the program has not set them.
/// </summary>
public sealed record BillingSettings(int MinimumMinutesPerDay, string? HcpcsCode, string? RevenueCode)
{
    public const int DefaultMinimumMinutesPerDay = 180;

    public static readonly BillingSettings Default = new(DefaultMinimumMinutesPerDay, null, null);
}

/// <summary>
/// One patient's record of one session, as billing reads it: the session's program and local day (the date of its
/// start in the session's own time zone), its time, the current outcome, the outcome the latest correction set (null
/// when never corrected) and the patient's presence stretches.
/// </summary>
public sealed record AttendedSession(
    Guid SessionId,
    Guid ProgramId,
    string? Kind,
    DateOnly Day,
    SessionWindow Window,
    AttendanceOutcome Outcome,
    AttendanceOutcome? CorrectedTo,
    IReadOnlyList<PresenceInterval> Presence)
{
    /// <summary>The record's current outcome is the one a correction set.</summary>
    public bool Corrected => CorrectedTo == Outcome;
}

/// <summary>A session behind a billable day, with the minutes it contributed.</summary>
public sealed record BilledSession(Guid SessionId, string? Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, AttendanceOutcome Outcome, int Minutes,
    bool Corrected);

/// <summary>A day of one program the patient's attended minutes reached the program's minimum, with the sessions behind it (by start).</summary>
public sealed record BillableDay(Guid ProgramId, DateOnly Date, int AttendedMinutes, BillingSettings Settings, IReadOnlyList<BilledSession> Sessions)
{
    public bool Corrected => Sessions.Any(s => s.Corrected);
}

/// <summary>Which days of attendance an IOP bills. Pure: the caller supplies the records and each program's settings.</summary>
public static class BillableDays
{
    /// <summary>
    /// The minutes a session counts toward its day:
    /// <list type="bullet">
    /// <item>an absence (excused, unexcused, no-show) or an undecided record counts nothing, whatever presence was recorded;</item>
    /// <item>present or late as a correction set it counts the whole scheduled session: the clinician vouched for the
    /// attendance, usually because the platform failed to record it;</item>
    /// <item>otherwise (present, late or partial) the recorded presence counts: the union of the patient's join-to-leave
    /// stretches within the session's time, overlaps once, a stretch never closed counting to the session's end, in whole
    /// minutes. A presence outcome with nothing recorded counts nothing.</item>
    /// </list>
    /// A makeup is a session like any other: it counts on the day it is held.
    /// </summary>
    public static int Minutes(AttendedSession session)
    {
        if (!session.Outcome.IsPresence()) return 0;
        if (session.Corrected && session.Outcome is AttendanceOutcome.Present or AttendanceOutcome.Late)
            return (int)session.Window.Duration.TotalMinutes;
        return PresenceRules.MinutesAttended(session.Window, session.Presence, session.Window.EndsAt);
    }

    /// <summary>
    /// One patient's billable days: the sessions are grouped by program and local day, each day's minutes summed, and
    /// the days whose sum reaches the program's minimum kept, by date then program. Sessions that counted nothing are
    /// left out of a day's sessions. A program missing from <paramref name="settings"/> is held to <see cref="BillingSettings.Default"/>.
    /// </summary>
    public static IReadOnlyList<BillableDay> Of(IEnumerable<AttendedSession> sessions, IReadOnlyDictionary<Guid, BillingSettings> settings) =>
        sessions
            .Select(s => (Session: s, Minutes: Minutes(s)))
            .Where(s => s.Minutes > 0)
            .GroupBy(s => (s.Session.ProgramId, s.Session.Day))
            .Select(day =>
            {
                var program = settings.GetValueOrDefault(day.Key.ProgramId) ?? BillingSettings.Default;
                var billed = day.OrderBy(s => s.Session.Window.StartsAt).ThenBy(s => s.Session.SessionId)
                    .Select(s => new BilledSession(s.Session.SessionId, s.Session.Kind, s.Session.Window.StartsAt, s.Session.Window.EndsAt,
                        s.Session.Outcome, s.Minutes, s.Session.CorrectedTo is not null))
                    .ToList();
                return new BillableDay(day.Key.ProgramId, day.Key.Day, billed.Sum(s => s.Minutes), program, billed);
            })
            .Where(d => d.AttendedMinutes >= d.Settings.MinimumMinutesPerDay)
            .OrderBy(d => d.Date).ThenBy(d => d.ProgramId)
            .ToList();
}
