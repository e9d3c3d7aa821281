using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VirtualIop.BuildingBlocks.Workers;

/// <summary>
/// Runs due-time work (rows in Postgres whose time has come) on an interval. Implementations claim
/// rows with FOR UPDATE SKIP LOCKED so that replicas never take the same row. A pass that filled its
/// batch runs again at once; an empty or partial pass waits for the interval.
/// </summary>
public abstract class DueTimeWorker(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected ILogger Logger => logger;

    protected abstract TimeSpan Interval { get; }

    protected abstract int BatchSize { get; }

    /// <returns>How many rows the pass handled.</returns>
    public abstract Task<int> RunOnce(DateTimeOffset now, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunOnce(clock.GetUtcNow(), stoppingToken) >= BatchSize && !stoppingToken.IsCancellationRequested)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "{Worker} pass failed; retrying after {Interval}", GetType().Name, Interval);
            }

            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
