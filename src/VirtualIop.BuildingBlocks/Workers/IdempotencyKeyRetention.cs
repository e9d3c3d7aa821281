using Microsoft.Extensions.Logging;
using VirtualIop.BuildingBlocks.Data;

namespace VirtualIop.BuildingBlocks.Workers;

/// <summary>Forgets Idempotency-Key claims and their answers once their 24-hour window has passed.</summary>
public sealed class IdempotencyKeyRetention(IdempotencyKeys keys, TimeProvider clock, ILogger<IdempotencyKeyRetention> logger)
    : RetentionWorker(clock, logger)
{
    protected override TimeSpan Retention => IdempotencyKeys.Window;

    protected override string Rows => "idempotency key(s)";

    protected override Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct) => keys.ForgetBefore(cutoff, batchSize, ct);
}
