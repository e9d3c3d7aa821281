namespace VirtualIop.Notification.Domain;

/// <summary>A claimed delivery, as the rules see it.</summary>
public sealed record DeliveryAttempt(DeliveryKind Kind, DateTimeOffset SessionStartsAt, int Attempts, bool HasEmail, bool OptedOut = false);

public abstract record DeliveryDecision
{
    public sealed record Send : DeliveryDecision;

    public sealed record Skip(string Reason) : DeliveryDecision;

    /// <summary>Not sent because the patient asked not to be contacted this way.</summary>
    public sealed record Suppress(string Reason) : DeliveryDecision;

    public sealed record GiveUp(string Reason) : DeliveryDecision;
}

/// <summary>What happens to a claimed delivery before and after the attempt to send it.</summary>
public static class DeliveryRules
{
    public static DeliveryDecision Decide(DeliveryAttempt attempt, DateTimeOffset now, int maxAttempts)
    {
        if (attempt.Attempts > maxAttempts)
            return new DeliveryDecision.GiveUp($"Gave up after {maxAttempts} attempts.");
        if (attempt.Kind == DeliveryKind.Reminder && now >= attempt.SessionStartsAt)
            return new DeliveryDecision.Skip("The session had already started when the reminder came due.");
        if (attempt.OptedOut)
            return new DeliveryDecision.Suppress("The patient opted out of email.");
        if (!attempt.HasEmail)
            return new DeliveryDecision.Skip("No email address on file for the patient.");
        return new DeliveryDecision.Send();
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
}
