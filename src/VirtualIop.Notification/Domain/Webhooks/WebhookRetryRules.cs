namespace VirtualIop.Notification.Domain.Webhooks;

/// <summary>How long a failing webhook delivery keeps being tried, and when a failing endpoint is switched off.</summary>
public sealed record WebhookRetryPolicy(TimeSpan FirstRetryDelay, TimeSpan MaxRetryDelay, int DisableAfterFailures, TimeSpan DisableAfterFailingFor);

public static class WebhookRetryRules
{
    /// <summary>
    /// When a delivery that has just failed its <paramref name="attempts"/>-th attempt is tried again: the first retry
    /// delay, doubled after each further attempt up to the longest delay, but never later than its retry window's end
    /// (so the last attempt falls on the end). Null once the window has ended: the delivery has failed for good.
    /// </summary>
    public static DateTimeOffset? NextAttemptAt(WebhookRetryPolicy policy, int attempts, DateTimeOffset now, DateTimeOffset retryUntil)
    {
        if (now >= retryUntil) return null;
        var doublings = Math.Clamp(attempts - 1, 0, 30);
        var delay = TimeSpan.FromTicks((long)Math.Min(policy.FirstRetryDelay.Ticks * Math.Pow(2, doublings), policy.MaxRetryDelay.Ticks));
        var next = now + delay;
        return next > retryUntil ? retryUntil : next;
    }

    /// <summary>
    /// An endpoint is disabled once it has failed this many attempts in a row (any delivery; a success resets the count)
    /// and has been failing for at least this long: both, so neither a burst of failures within minutes nor one retry a
    /// day switches off an endpoint that is only briefly down.
    /// </summary>
    public static bool ShouldDisable(WebhookRetryPolicy policy, int consecutiveFailures, DateTimeOffset failingSince, DateTimeOffset now) =>
        consecutiveFailures >= policy.DisableAfterFailures && now - failingSince >= policy.DisableAfterFailingFor;
}
