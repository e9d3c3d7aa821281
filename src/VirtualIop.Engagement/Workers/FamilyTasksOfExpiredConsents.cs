using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Workers;

/// <summary>
/// No family task may outlive its consent (42 CFR Part 2 §2.31): revocation cancels at once, and this worker
/// cancels what relied on a consent once its expiry passes.
/// </summary>
public sealed class FamilyTasksOfExpiredConsents(FamilyInvolvement family, IConfiguration configuration, TimeProvider clock,
    ILogger<FamilyTasksOfExpiredConsents> logger) : DueTimeWorker(clock, logger)
{
    protected override TimeSpan Interval { get; } = configuration.GetValue("Engagement:ConsentExpiryInterval", TimeSpan.FromMinutes(1));

    protected override int BatchSize => 500;

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var cancelled = await family.CancelForExpiredConsents(now, BatchSize, ct);
        if (cancelled > 0) logger.LogInformation("Cancelled {Count} family task(s) whose consent expired", cancelled);
        return cancelled;
    }
}
