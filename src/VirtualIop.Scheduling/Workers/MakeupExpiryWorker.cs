using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Workers;

/// <summary>Expires makeups nobody took up in time, every Scheduling:MakeupExpiryInterval, one set-based statement per pass.</summary>
public sealed class MakeupExpiryWorker(MakeupExpiry expiry, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<MakeupExpiryWorker> logger)
    : DueTimeWorker(clock, logger)
{
    protected override TimeSpan Interval => options.Value.MakeupExpiryInterval;

    protected override int BatchSize => 200;

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var expired = await expiry.ExpireDue(now, BatchSize, ct);
        if (expired > 0) logger.LogInformation("Makeup expiry closed {Makeups} makeups", expired);
        return expired;
    }
}
