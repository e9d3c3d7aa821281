namespace VirtualIop.BuildingBlocks.Messaging;

public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>
    /// How often the relay looks for unsent outbox rows when the last look found none. It bounds how long a committed
    /// event waits before it is published: at 100 ms a missed session's email and follow-up stay within a second of the
    /// decision (tests/VirtualIop.Pipeline.IntegrationTests, MissLatencyBenchmark); an idle look is one index probe.
    /// </summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public int OutboxBatchSize { get; set; } = 200;

    /// <summary>
    /// Relay passes that run side by side while a backlog lasts, each on its own connection and its own claimed rows,
    /// so one publishes while another claims, marks or commits. Events are never ordered across passes (nor within one:
    /// a pass publishes its rows concurrently); consumers order by version.
    /// </summary>
    public int OutboxConcurrentBatches { get; set; } = 2;

    /// <summary>Sent rows are kept this long for diagnosis, then purged.</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How long the relay waits for the broker to confirm a pass's publishes. A row not confirmed by then counts as
    /// failed and the pass commits, so a broker outage never holds the relay's transaction and row locks open.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed attempts after which an outbox row is parked: kept with its last error, no longer published.</summary>
    public int OutboxMaxAttempts { get; set; } = 10;

    /// <summary>
    /// Deliveries each receive endpoint handles at once. Every delivery commits its inbox row and effect in its own
    /// fsynced transaction; with more of them in flight PostgreSQL's group commit flushes many commits with one fsync,
    /// which is what sets a consumer's throughput (tests/VirtualIop.BuildingBlocks.IntegrationTests, PipelineBenchmark).
    /// Together they may hold more deliveries than <see cref="ConcurrentTransactionLimit"/>, which bounds the transactions.
    /// </summary>
    public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>Unacknowledged deliveries the broker sends each receive endpoint ahead; at least ConcurrentMessageLimit, so no handler waits on the network.</summary>
    public int PrefetchCount { get; set; } = 64;

    /// <summary>
    /// Consumer transactions (an inbox row and its effect, <see cref="Inbox"/>) the replica runs at once over all its
    /// receive endpoints; deliveries past it wait their turn, first come first served, before taking a connection. One
    /// busy endpoint may use all of it, for group commit; a burst spread over many endpoints (a miss reaches five of them)
    /// no longer runs hundreds of transactions at once on a few cores, each holding its connection and locks open while
    /// it waits for the CPU: at 100 misses a second on two cores that put the "we missed you" email's p99 past 20 s
    /// (tests/VirtualIop.Pipeline.IntegrationTests, MissLatencyBenchmark). Keep it within the pool's size (Npgsql's
    /// Maximum Pool Size, 100 by default), which the dispatchers and the API share.
    /// </summary>
    public int ConcurrentTransactionLimit { get; set; } = 4 * Math.Max(Environment.ProcessorCount, 2);

    /// <summary>Redeliveries in process before a message is moved to its queue's _error queue.</summary>
    public int RetryLimit { get; set; } = 5;

    /// <summary>
    /// How often the redrive worker looks at the service's _error queues, and the first step of its backoff: a
    /// message redriven n times (n ≥ 1) goes back after RedriveInterval · 2^(n-1), at most RedriveMaxDelay.
    /// </summary>
    public TimeSpan RedriveInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RedriveMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Redrives of one message; past them it stays parked in _error until moved by hand.</summary>
    public int RedriveLimit { get; set; } = 8;

    /// <summary>Inbox rows (which events a consumer has processed) are kept this long, then purged.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long the redrive worker waits before a message's redrive number <paramref name="redrives"/> + 1.</summary>
    public TimeSpan RedriveDelay(int redrives)
    {
        if (redrives <= 0) return TimeSpan.Zero;
        // In doubles, so a long count or a long interval saturates at the maximum instead of overflowing.
        var ticks = RedriveInterval.Ticks * Math.Pow(2, Math.Min(redrives - 1, 62));
        return ticks >= RedriveMaxDelay.Ticks ? RedriveMaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// The least time from a message's first arrival in _error to its parking: the sum of its redrive delays.
    /// With the defaults, 45 minutes (0 + 1 + 2 + 4 + 8 + 10 + 10 + 10).
    /// </summary>
    public TimeSpan RedriveWindow => TimeSpan.FromTicks(Enumerable.Range(0, RedriveLimit).Sum(n => RedriveDelay(n).Ticks));
}
