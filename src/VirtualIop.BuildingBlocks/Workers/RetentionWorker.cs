using Microsoft.Extensions.Logging;

namespace VirtualIop.BuildingBlocks.Workers;

/// <summary>
/// Forgets rows that are kept only for a while (replay ids, marks held for a session that never came) once they are
/// older than their retention, a batch at a time, so such tables hold days of rows rather than every row ever taken in.
/// </summary>
public abstract class RetentionWorker(TimeProvider clock, ILogger logger) : DueTimeWorker(clock, logger)
{
    // Rows are kept for days: an hour more or less before one is forgotten changes nothing.
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override int BatchSize => 1000;

    protected abstract TimeSpan Retention { get; }

    /// <summary>What the rows are, for the log line (for example "telehealth event id(s)").</summary>
    protected abstract string Rows { get; }

    /// <returns>How many rows older than <paramref name="cutoff"/> were forgotten, at most <paramref name="batchSize"/>.</returns>
    protected abstract Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct);

    /// <returns>How many rows the pass forgot.</returns>
    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var forgotten = await ForgetBefore(now - Retention, BatchSize, ct);
        if (forgotten > 0) Logger.LogInformation("Forgot {Count} {Rows} past their retention", forgotten, Rows);
        return forgotten;
    }
}
