using Microsoft.Extensions.Options;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Workers;

namespace VirtualIop.Attendance.Workers;

/// <summary>
/// Decides no-shows once a session's grace has passed (Attendance:NoShowGrace), every Attendance:SweepInterval.
/// Each pass is one set-based statement (<see cref="NoShows.SweepDue"/>); replicas share the work safely.
/// </summary>
public sealed class NoShowSweep : DueTimeWorker
{
    readonly NoShows noShows;
    readonly SweepMetrics metrics;
    readonly AttendanceOptions settings;
    readonly TimeProvider clock;
    readonly ILogger logger;

    public NoShowSweep(NoShows noShows, SweepMetrics metrics, IOptions<AttendanceOptions> options, TimeProvider clock, ILogger<NoShowSweep> logger)
        : base(clock, logger)
    {
        this.noShows = noShows;
        this.metrics = metrics;
        settings = options.Value;
        this.clock = clock;
        this.logger = logger;
    }

    protected override TimeSpan Interval => settings.SweepInterval;

    protected override int BatchSize => settings.SweepBatchSize;

    /// <returns>How many sessions the pass swept.</returns>
    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var result = await noShows.SweepDue(now, BatchSize, ct);
        metrics.RecordPass(clock.GetElapsedTime(started), result.NoShows);
        if (result.Sessions > 0)
        {
            logger.LogInformation("No-show sweep closed {Sessions} sessions and recorded {NoShows} no-shows", result.Sessions, result.NoShows);
        }
        return result.Sessions;
    }
}
