namespace VirtualIop.Notification.Domain;

/// <summary>
/// Orders Scheduling's reports about one session by the session's version, not by when they arrive: the relay publishes
/// a batch concurrently and retries and replicas reorder further. Notification keeps, per session, the version its
/// times came with and, per patient, the version of the report that made them present or removed; a report changes a
/// fact only when it is newer than what is held. A report without a version (from a publisher older than the field)
/// counts as version 0: it cannot be ordered, so it changes only a fact nothing versioned has set yet, and there the
/// report that arrives last holds, as before versions.
/// </summary>
public static class SessionVersions
{
    /// <summary>Whether a rescheduling, a participant report or a cancellation's times replace the fact held at <paramref name="held"/>.</summary>
    public static bool Supersedes(long? incoming, long held) => incoming is { } version ? version > held : held == 0;

    /// <summary>
    /// Whether a SessionScheduled replaces the fact held at <paramref name="held"/>. It is the session's first report, so a
    /// fact already held came from a report at least as new (a removal, a rescheduling heard of first): it only fills
    /// what nothing holds yet, or what only an older unversioned report set.
    /// </summary>
    public static bool ScheduledSupersedes(long? incoming, long held) => (incoming ?? 0) > held;
}
