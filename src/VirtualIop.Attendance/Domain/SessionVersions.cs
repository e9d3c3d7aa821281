namespace VirtualIop.Attendance.Domain;

/// <summary>
/// Which of Scheduling's reports about a session wins, whatever order they arrive in. Each report carries the session's
/// version after its change; the newest one about a fact (the times, a patient's membership) decides it. Pure.
/// </summary>
public static class SessionVersions
{
    /// <summary>A report from a publisher older than versions counts as 0, older than any versioned report.</summary>
    public static long Of(long? version) => version ?? 0;

    /// <summary>
    /// A report applies when nothing about its fact is kept yet, or when it is at least as new as what is kept. Equal
    /// versions come from reports without a version (or from events written in one transaction, which agree): the one
    /// taken in last wins, as before versions existed.
    /// </summary>
    public static bool Applies(long report, long? kept) => kept is null || report >= kept;
}
