namespace VirtualIop.Engagement.Domain;

/// <summary>
/// Where a patient's makeup stands as Scheduling last told Engagement: offered (open for a choice, counts nothing),
/// booked (counts half), completed (counts fully), or no longer available because its offer ran out or the absence
/// notice it answered was withdrawn (counts nothing).
/// </summary>
public enum MakeupState
{
    Offered,
    Booked,
    Completed,
    Expired,
    Withdrawn
}

/// <summary>A makeup's state, when Scheduling put it there, and the makeup's version after that change (null from older publishers).</summary>
public sealed record MakeupStanding(MakeupState State, DateTimeOffset At, long? Version = null);

/// <summary>
/// Which of two reports about the same makeup holds, whatever order they arrive in: the outbox relay publishes a batch
/// concurrently, so a booking can arrive after the re-offer that undid it. Completion is final: Scheduling never reopens
/// a completed makeup, so nothing older or newer overrides it. Otherwise the report of the newer makeup version holds;
/// when either report lacks a version (a publisher older than the field), the later report holds. Times are compared to
/// the millisecond (a time stored in PostgreSQL or sent as JSON keeps less than .NET's ticks, and must still equal
/// itself); at the same version or millisecond the report that gives less credit
/// holds (no longer available, then offered, then booked), so a tie never counts a makeup the patient may not have.
/// </summary>
public static class MakeupTimeline
{
    public static bool Replaces(MakeupStanding incoming, MakeupStanding? current)
    {
        if (current is null) return true;
        if (current.State == MakeupState.Completed) return false;
        if (incoming.State == MakeupState.Completed) return true;
        var (newer, older) = incoming.Version is { } v && current.Version is { } kept ? (v, kept) : (Millis(incoming.At), Millis(current.At));
        return newer != older ? newer > older : Caution(incoming.State) > Caution(current.State);
    }

    static long Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    static int Caution(MakeupState state) => state switch
    {
        MakeupState.Booked => 0,
        MakeupState.Offered => 1,
        _ => 2
    };
}
