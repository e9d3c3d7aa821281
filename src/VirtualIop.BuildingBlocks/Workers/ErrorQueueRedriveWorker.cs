using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Messaging;

namespace VirtualIop.BuildingBlocks.Workers;

/// <summary>
/// Retries failed messages for longer than an outage lasts, without a delayed-message plugin and without blocking the
/// queue: MassTransit's short in-process retry ends in <c>&lt;queue&gt;_error</c>, and every Messaging:RedriveInterval
/// this worker moves each due message back to its queue (backoff doubling from RedriveInterval up to RedriveMaxDelay,
/// at most RedriveLimit times). Past the limit a message stays parked in _error, shown in health and metrics.
/// </summary>
public sealed class ErrorQueueRedriveWorker(
    ErrorQueues errorQueues,
    ServiceQueues queues,
    MessagingMetrics metrics,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<ErrorQueueRedriveWorker> logger) : DueTimeWorker(clock, logger)
{
    protected override TimeSpan Interval => options.Value.RedriveInterval;

    // One pass covers every queue; the next waits for the interval.
    protected override int BatchSize => int.MaxValue;

    /// <returns>How many messages the pass moved back.</returns>
    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var moved = 0;
        foreach (var queue in queues.Names)
        {
            var result = await errorQueues.RedriveDue(queue, options.Value, now, ct);
            metrics.RecordErrorQueue(result.ErrorQueue, result.Depth, result.Parked);
            metrics.RecordRedriven(queue, result.Moved);
            if (result.Moved > 0) logger.LogInformation("Redrove {Count} message(s) from {ErrorQueue}", result.Moved, result.ErrorQueue);
            if (result.Parked > 0) logger.LogWarning("{Count} message(s) parked in {ErrorQueue} past the redrive limit", result.Parked, result.ErrorQueue);
            moved += result.Moved;
        }
        return moved;
    }
}
