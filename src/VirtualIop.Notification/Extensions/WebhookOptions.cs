using VirtualIop.Notification.Domain.Webhooks;

namespace VirtualIop.Notification.Extensions;

/// <summary>Event webhooks to partner clinics (section "Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Whether events are fanned out to subscriptions at all; off, the API still answers and nothing new is queued.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long the dispatcher waits after a pass that did not fill its batch.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int DispatchBatchSize { get; set; } = 50;

    /// <summary>Sends one pass runs at once.</summary>
    public int DispatchParallelism { get; set; } = 8;

    /// <summary>How long a pass holds what it claimed; at least twice <see cref="SendTimeout"/>.</summary>
    public TimeSpan DispatchLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest one POST to a clinic's endpoint may take, connection included; then it counts as failed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The delay before the first retry; each later one doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long after it is queued (or re-sent by hand) a delivery keeps being tried; at least 24 hours.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Failed attempts in a row (no success between) after which an endpoint may be disabled...</summary>
    public int DisableAfterFailures { get; set; } = 15;

    /// <summary>...once it has also been failing for this long.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long the replaced secret still signs after a rotation.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a delivery of a versioned event (a session's, a makeup's) waits before its first attempt, so an earlier
    /// version the broker delivered a little later still goes out first.
    /// </summary>
    public TimeSpan OrderingHold { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a finished delivery (delivered, or failed for good) stays in the delivery log.</summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Subscriptions one clinic may hold.</summary>
    public int MaxSubscriptionsPerClinic { get; set; } = 20;

    /// <summary>
    /// Whether endpoints may be http or on loopback and private addresses. Unset: only in Development. Never set it in
    /// production: a subscription could then make the service call into its own network.
    /// </summary>
    public bool? AllowPrivateTargets { get; set; }

    public WebhookRetryPolicy RetryPolicy => new(FirstRetryDelay, MaxRetryDelay, DisableAfterFailures, DisableAfterFailingFor);
}
