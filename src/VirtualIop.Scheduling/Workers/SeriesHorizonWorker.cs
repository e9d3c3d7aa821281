using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Workers;

/// <summary>Keeps every series materialised up to now + Scheduling:SeriesHorizon, one claimed series per transaction.</summary>
public sealed class SeriesHorizonWorker(SeriesStore series, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<SeriesHorizonWorker> logger)
    : DueTimeWorker(clock, logger)
{
    protected override TimeSpan Interval => options.Value.HorizonInterval;

    protected override int BatchSize => 50;

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var rolled = 0;
        while (rolled < BatchSize && await series.MaterialiseNextDue(now + options.Value.SeriesHorizon, ct)) rolled++;
        return rolled;
    }
}
