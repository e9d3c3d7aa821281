using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>
/// The meter "VirtualIop.Messaging": what waits in the outbox, what is parked there, and the depth of each _error
/// queue. The relay and the redrive worker record what they last saw; the gauges report it without I/O.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "VirtualIop.Messaging";
    const string QueueTag = "messaging.destination.name";

    readonly Counter<long> publishFailures;
    readonly Counter<long> redriven;
    readonly ConcurrentDictionary<string, ErrorQueueState> errorQueues = new();
    OutboxBacklog outbox = new(0, 0, TimeSpan.Zero);

    public MessagingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("virtualiop.outbox.parked", () => Volatile.Read(ref outbox).Parked, "{row}",
            "Outbox rows parked after failing Messaging:OutboxMaxAttempts times; re-queue them by hand once fixed.");
        meter.CreateObservableGauge("virtualiop.outbox.waiting", () => Volatile.Read(ref outbox).Waiting, "{row}",
            "Outbox rows committed and not yet published (parked rows not counted).");
        meter.CreateObservableGauge("virtualiop.outbox.oldest_waiting_age", () => Volatile.Read(ref outbox).OldestWaitingAge.TotalSeconds, "s",
            "Age of the oldest outbox row waiting to be published.");
        meter.CreateObservableGauge("virtualiop.messaging.error_depth",
            () => errorQueues.Select(q => new Measurement<long>(q.Value.Depth, new KeyValuePair<string, object?>(QueueTag, q.Key))), "{message}",
            "Messages in each of the service's _error queues.");
        meter.CreateObservableGauge("virtualiop.messaging.error_parked",
            () => errorQueues.Select(q => new Measurement<long>(q.Value.Parked, new KeyValuePair<string, object?>(QueueTag, q.Key))), "{message}",
            "Messages in each _error queue that used up Messaging:RedriveLimit and wait for a redrive by hand.");
        publishFailures = meter.CreateCounter<long>("virtualiop.outbox.publish_failures", "{row}",
            "Outbox rows the relay failed to read or publish (each failed attempt counts).");
        redriven = meter.CreateCounter<long>("virtualiop.messaging.redriven", "{message}",
            "Messages moved from an _error queue back to their queue.");
    }

    public OutboxBacklog Outbox => Volatile.Read(ref outbox);

    /// <summary>Parked _error messages over all of the service's queues, as the redrive worker last counted them.</summary>
    public long ParkedErrorMessages => errorQueues.Values.Sum(q => q.Parked);

    public void RecordOutbox(OutboxBacklog backlog) => Volatile.Write(ref outbox, backlog);

    public void RecordPublishFailures(int rows)
    {
        if (rows > 0) publishFailures.Add(rows);
    }

    public void RecordErrorQueue(string errorQueue, long depth, long parked) => errorQueues[errorQueue] = new ErrorQueueState(depth, parked);

    public void RecordRedriven(string queue, int messages)
    {
        if (messages > 0) redriven.Add(messages, new KeyValuePair<string, object?>(QueueTag, queue));
    }

    sealed record ErrorQueueState(long Depth, long Parked);
}

/// <summary>The outbox as the relay last sampled it.</summary>
public sealed record OutboxBacklog(long Waiting, long Parked, TimeSpan OldestWaitingAge);
