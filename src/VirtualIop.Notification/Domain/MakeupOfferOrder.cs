namespace VirtualIop.Notification.Domain;

/// <summary>What Notification holds of one makeup: when its offer was made, and when it was withdrawn or ran out (null while live).</summary>
public sealed record MakeupOfferTimes(DateTimeOffset? OfferedAt, DateTimeOffset? WithdrawnAt, DateTimeOffset? ExpiredAt)
{
    public DateTimeOffset? EndedAt => (WithdrawnAt, ExpiredAt) switch
    {
        ({ } withdrawn, { } expired) => withdrawn > expired ? withdrawn : expired,
        (var withdrawn, var expired) => withdrawn ?? expired
    };
}

/// <summary>
/// Orders a makeup's reports by when Scheduling made them, not by when they arrive: the outbox relay publishes a batch
/// concurrently, so a withdrawal or expiry can be consumed before the offer it ends, and Scheduling reuses a makeup's id
/// when it offers it again, so an ending is not final either. At the same instant the ending wins. An offer without a
/// time (from a publisher older than OfferedAt) cannot be ordered, and the report that arrives last holds, as before.
/// </summary>
public static class MakeupOfferOrder
{
    /// <summary>An arriving offer is the makeup's current state unless an ending or another offer held already came after it.</summary>
    public static bool OfferIsCurrent(DateTimeOffset? offeredAt, MakeupOfferTimes held) =>
        offeredAt is not { } at
        || (held.EndedAt is not { } ended || at > ended) && (held.OfferedAt is not { } offered || at >= offered);

    /// <summary>An arriving withdrawal or expiry ends the offer held unless that offer was made after it (a re-offer heard of first).</summary>
    public static bool EndingIsCurrent(DateTimeOffset endedAt, MakeupOfferTimes held) =>
        held.OfferedAt is not { } offered || endedAt >= offered;
}
