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

    /// <summary>Sent rows are kept this long for diagnosis, then purged.</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Redeliveries in process before a message is moved to its queue's _error queue.</summary>
    public int RetryLimit { get; set; } = 5;
}
