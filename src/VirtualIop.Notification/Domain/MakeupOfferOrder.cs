namespace VirtualIop.Notification.Domain;

/// <summary>
/// What Notification holds of one makeup: when its offer was made, when it was withdrawn or ran out (null while live),
/// the makeup's version of the newest report applied (null while only unversioned reports were heard of), and the
/// version of the offer whose kinds and expiry the row holds.
/// </summary>
public sealed record MakeupOfferTimes(
    DateTimeOffset? OfferedAt, DateTimeOffset? WithdrawnAt, DateTimeOffset? ExpiredAt, long? Version = null, long? OfferVersion = null)
{
    public DateTimeOffset? EndedAt => (WithdrawnAt, ExpiredAt) switch
    {
        ({ } withdrawn, { } expired) => withdrawn > expired ? withdrawn : expired,
        (var withdrawn, var expired) => withdrawn ?? expired
    };
}

/// <summary>
/// Orders a makeup's reports (offered, booked, withdrawn, expired) by the makeup's version, which Scheduling increments
/// on every change, not by when they arrive: the outbox relay publishes a batch concurrently, so a withdrawal or expiry
/// can be consumed before the offer it ends, and Scheduling reuses a makeup's id when it offers it again, so an ending is
/// not final either. When the report or what is held has no version (a publisher older than the field), the reports'
/// own times order them: at the same instant the ending wins, and an offer without a time holds, as the last to arrive.
/// </summary>
public static class MakeupOfferOrder
{
    /// <summary>An arriving offer is the makeup's current state unless an ending, a booking or another offer held already came after it.</summary>
    public static bool OfferIsCurrent(long? version, DateTimeOffset? offeredAt, MakeupOfferTimes held) =>
        version is { } v && held.Version is { } kept
            ? v > kept
            : offeredAt is not { } at
              || (held.EndedAt is not { } ended || at > ended) && (held.OfferedAt is not { } offered || at >= offered);

    /// <summary>
    /// Whether an arriving offer's kinds and expiry are newer than those held, even when a later report already decided
    /// the makeup's state: an offer heard of after its booking or ending still says what was offered.
    /// </summary>
    public static bool OfferFactsAreNewer(long? version, MakeupOfferTimes held) =>
        version is { } v && (held.OfferVersion is not { } kept || v > kept);

    /// <summary>An arriving withdrawal or expiry ends the offer held unless a newer report (a re-offer heard of first) came after it.</summary>
    public static bool EndingIsCurrent(long? version, DateTimeOffset endedAt, MakeupOfferTimes held) =>
        version is { } v && held.Version is { } kept
            ? v > kept
            : held.OfferedAt is not { } offered || endedAt >= offered;

    /// <summary>
    /// An arriving booking holds unless a newer report came after it: the makeup offered again (its session was
    /// cancelled), withdrawn or run out. Without versions, a booking without a time holds, as the last to arrive.
    /// </summary>
    public static bool BookingIsCurrent(long? version, DateTimeOffset? bookedAt, MakeupOfferTimes held) =>
        version is { } v && held.Version is { } kept
            ? v > kept
            : bookedAt is not { } at
              || (held.EndedAt is not { } ended || at > ended) && (held.OfferedAt is not { } offered || at >= offered);
}
