namespace VirtualIop.Notification.Domain;

/// <summary>One of the patient's channels, in their order of preference, as the rules see it.</summary>
public sealed record ChannelOption(Channel Channel, bool HasAddress, bool OptedOut);

/// <summary>A claimed delivery, as the rules see it: the patient's channels, and those that already refused it for good.</summary>
public sealed record DeliveryAttempt(
    DeliveryKind Kind, DateTimeOffset SessionStartsAt, int Attempts, IReadOnlyList<ChannelOption> Channels, IReadOnlyCollection<Channel> FailedChannels);

public abstract record DeliveryDecision
{
    public sealed record Send(Channel Channel) : DeliveryDecision;

    /// <param name="Code">Why, as the reads show it: noAddress or sessionStarted.</param>
    public sealed record Skip(string Reason, string Code) : DeliveryDecision;

    /// <summary>Not sent because the patient asked not to be contacted this way (code optOut).</summary>
    public sealed record Suppress(string Reason) : DeliveryDecision;

    public sealed record GiveUp(string Reason) : DeliveryDecision;
}

/// <summary>What happens to a claimed delivery before and after the attempt to send it.</summary>
public static class DeliveryRules
{
    /// <summary>
    /// Whether to send, and on which channel: the first of the patient's channels, in their order, that has an
    /// address, is not opted out and has not refused this message for good. A channel that refused it is not tried
    /// again; the next one is.
    /// </summary>
    public static DeliveryDecision Decide(DeliveryAttempt attempt, DateTimeOffset now, int maxAttempts)
    {
        if (attempt.Attempts > maxAttempts)
            return new DeliveryDecision.GiveUp($"Gave up after {maxAttempts} attempts.");
        if ((attempt.Kind is DeliveryKind.Reminder or DeliveryKind.JoinAlert) && now >= attempt.SessionStartsAt)
            return new DeliveryDecision.Skip("The session had already started when the reminder came due.", "sessionStarted");
        var reachable = attempt.Channels.Where(c => c.HasAddress).ToList();
        if (reachable.Count == 0)
            return new DeliveryDecision.Skip("No email address or other channel on file for the patient.", "noAddress");
        var allowed = reachable.Where(c => !c.OptedOut).ToList();
        if (allowed.Count == 0)
            return new DeliveryDecision.Suppress($"The patient opted out of {string.Join(", ", reachable.Select(c => Name(c.Channel)))}.");
        var next = allowed.FirstOrDefault(c => !attempt.FailedChannels.Contains(c.Channel));
        return next is null
            ? new DeliveryDecision.GiveUp($"Refused on every channel the patient can be reached on ({string.Join(", ", allowed.Select(c => Name(c.Channel)))}).")
            : new DeliveryDecision.Send(next.Channel);
    }

    /// <summary>
    /// After a transient failure (the sender already retried in process), the delivery waits and is tried
    /// again by a later pass, backing off; null when the attempts are used up and it is recorded as failed.
    /// </summary>
    public static DateTimeOffset? RetryAt(int attempts, int maxAttempts, DateTimeOffset now)
    {
        if (attempts >= maxAttempts) return null;
        var backoff = TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, attempts - 1)));
        return now + backoff;
    }

    static string Name(Channel channel) => channel.ToString().ToLowerInvariant();
}
