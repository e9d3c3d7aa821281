namespace VirtualIop.Engagement.Domain;

/// <summary>
/// Scheduling's version of a session or a makeup: incremented by one with every change, carried by each event as the
/// version after its change. A report applies only when its version is newer than the one kept. A report from a
/// publisher older than the field (null, stored as 0) cannot be ordered: it applies only while nothing versioned is kept,
/// and there the one that arrives last holds, as before versions existed (so a rolling upgrade keeps today's behaviour).
/// </summary>
public static class Versions
{
    public static long Of(long? version) => version ?? 0;

    public static bool IsNewer(long? incoming, long kept) => incoming is { } version ? version > kept : kept == 0;
}

/// <summary>
/// What Engagement keeps of a session itself (not of its roster): when it starts, whether it was cancelled, and the
/// version of the newest session-level report applied. StartsAt is null while only a removal has named the session.
/// </summary>
public sealed record SessionStanding(DateTimeOffset? StartsAt, bool Cancelled, long Version);

/// <summary>A session-level report: scheduled or rescheduled (Cancels false), or cancelled, with the session's version after it.</summary>
public sealed record SessionReport(DateTimeOffset StartsAt, bool Cancels, long? Version);

/// <summary>
/// How session-level reports about one session settle whatever order they arrive in. The newest version sets the
/// start; an older report only fills a start nobody gave yet (the row a removal created before the session was known).
/// A cancellation is final: Scheduling never reopens a cancelled session, so no report of any version undoes it.
/// </summary>
public static class SessionTimeline
{
    public static SessionStanding Apply(SessionStanding? current, SessionReport report)
    {
        if (current is null) return new(report.StartsAt, report.Cancels, Versions.Of(report.Version));
        var cancelled = current.Cancelled || report.Cancels;
        return Versions.IsNewer(report.Version, current.Version)
            ? new(report.StartsAt, cancelled, Versions.Of(report.Version))
            : current with { StartsAt = current.StartsAt ?? report.StartsAt, Cancelled = cancelled };
    }
}
