using System.Diagnostics.Metrics;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// The meter "VirtualIop.Notification": deliveries due as the dispatcher last counted them, each delivery outcome per
/// channel, and webhook attempts and endpoints disabled. The dispatchers record what they saw; the gauges report it
/// without I/O, so a scrape never queries the database.
/// </summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "VirtualIop.Notification";

    readonly Counter<long> deliveries;
    readonly Counter<long> webhookAttempts;
    readonly Counter<long> webhookEndpointsDisabled;
    DueDeliveries due = new(0, TimeSpan.Zero);

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("virtualiop.notification.deliveries.due", () => Volatile.Read(ref due).Count, "{delivery}",
            "Deliveries (reminders and messages) due and not yet sent, as the dispatcher counted them at the start of its last pass.");
        meter.CreateObservableGauge("virtualiop.notification.deliveries.oldest_due_age", () => Volatile.Read(ref due).OldestAge.TotalSeconds, "s",
            "How long the longest-waiting due delivery had been due at the start of the dispatcher's last pass.");
        deliveries = meter.CreateCounter<long>("virtualiop.notification.deliveries", "{delivery}",
            "Delivery outcomes the dispatcher recorded, by outcome (sent, failed, unknown, pending for a retry, skipped, suppressed) and channel.");
        webhookAttempts = meter.CreateCounter<long>("virtualiop.notification.webhook.attempts", "{attempt}",
            "Webhook posts to clinics' endpoints, by outcome (delivered: a 2xx; failed: anything else, retried until the window ends).");
        webhookEndpointsDisabled = meter.CreateCounter<long>("virtualiop.notification.webhook.endpoints_disabled", "{endpoint}",
            "Webhook subscriptions disabled after repeated failures (the clinic is told and re-enables them).");
    }

    public void RecordDue(long count, TimeSpan oldestAge) => Volatile.Write(ref due, new DueDeliveries(count, oldestAge));

    /// <param name="channel">The channel it went out on or was last tried on; none for a help-desk ticket or a decision taken before any channel.</param>
    public void RecordDelivery(DeliveryStatus status, Channel? channel) =>
        deliveries.Add(1, new KeyValuePair<string, object?>("outcome", WireName.Of(status)),
            new KeyValuePair<string, object?>("channel", channel is { } c ? WireName.Of(c) : "none"));

    public void RecordWebhookAttempt(bool delivered, bool endpointDisabled)
    {
        webhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed"));
        if (endpointDisabled) webhookEndpointsDisabled.Add(1);
    }

    sealed record DueDeliveries(long Count, TimeSpan OldestAge);
}
