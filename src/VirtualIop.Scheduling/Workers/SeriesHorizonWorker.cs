using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Workers;

/// <summary>
/// Keeps every series materialised up to now + Scheduling:SeriesHorizon, one claimed series per transaction, and every
/// individual or hybrid plan's individual sessions booked as far (<see cref="PlanModality.ExtendNextDue"/>), one patient per transaction.
/// </summary>
public sealed class SeriesHorizonWorker(SeriesStore series, PlanModality plans, IOptions<SchedulingOptions> options, TimeProvider clock,
    ILogger<SeriesHorizonWorker> logger)
    : DueTimeWorker(clock, logger)
{
    protected override TimeSpan Interval => options.Value.HorizonInterval;

    protected override int BatchSize => 50;

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var rolled = 0;
        while (rolled < BatchSize && await series.MaterialiseNextDue(now + options.Value.SeriesHorizon, ct)) rolled++;
        // After the series: a plan's week counts the cohort's sessions, which the pass above has just materialised.
        while (rolled < BatchSize && await plans.ExtendNextDue(now, ct)) rolled++;
        return rolled;
    }
}
