using Npgsql;
using Polly;
using Polly.Retry;

namespace VirtualIop.BuildingBlocks.Data;

/// <summary>
/// Runs a whole transaction again when PostgreSQL aborted it to settle contention rather than because of what it did.
/// Two concurrent inserts checked by one exclusion constraint can each see the other's uncommitted row and wait for
/// each other; the deadlock detector then aborts one with 40P01 instead of the exclusion violation it was bound to
/// get. Run again, it finds the winner committed and fails with the violation that names the conflict.
/// </summary>
public static class ContentionRetry
{
    static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<PostgresException>(IsContention),
            MaxRetryAttempts = 4,
            Delay = TimeSpan.FromMilliseconds(10),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true
        })
        .Build();

    public static bool IsContention(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    /// <summary>Runs <paramref name="transaction"/>, which opens, commits and disposes its own transaction, again on contention.</summary>
    public static ValueTask<T> Run<T>(Func<CancellationToken, ValueTask<T>> transaction, CancellationToken ct) =>
        Pipeline.ExecuteAsync(transaction, ct);
}
