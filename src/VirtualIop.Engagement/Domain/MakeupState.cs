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

/// <summary>A makeup's state and when Scheduling put it there.</summary>
public sealed record MakeupStanding(MakeupState State, DateTimeOffset At);

/// <summary>
/// Which of two reports about the same makeup holds, whatever order they arrive in: the outbox relay publishes a batch
/// concurrently, so a booking can arrive after the re-offer that undid it. Completion is final: Scheduling never reopens
/// a completed makeup, so nothing older or newer overrides it. Otherwise the later report holds. Times are compared to
/// the millisecond, the finest Scheduling's event ids carry; at the same millisecond the report that gives less credit
/// holds (no longer available, then offered, then booked), so a tie never counts a makeup the patient may not have.
/// </summary>
public static class MakeupTimeline
{
    public static bool Replaces(MakeupStanding incoming, MakeupStanding? current)
    {
        if (current is null) return true;
        if (current.State == MakeupState.Completed) return false;
        if (incoming.State == MakeupState.Completed) return true;
        var (newer, older) = (Millis(incoming.At), Millis(current.At));
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

/// <summary>
/// When an event was written, for the events whose contract carries no time of their own: Scheduling mints every event
/// id as a version 7 UUID from the clock of the transaction that wrote it, and that id starts with the Unix time in
/// milliseconds. Null for an id of another version, which says nothing about time.
/// </summary>
public static class EventIdTime
{
    public static DateTimeOffset? Of(Guid eventId)
    {
        if (eventId.Version != 7) return null;
        var bytes = eventId.ToByteArray(bigEndian: true);
        long millis = 0;
        for (var i = 0; i < 6; i++) millis = (millis << 8) | bytes[i];
        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }
}
