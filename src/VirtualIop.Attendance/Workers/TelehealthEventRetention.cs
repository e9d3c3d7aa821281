using Microsoft.Extensions.Options;
using VirtualIop.Attendance.Data;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Workers;

namespace VirtualIop.Attendance.Workers;

/// <summary>
/// Forgets telehealth event ids older than Attendance:Telehealth:EventRetention, so the replay table holds days of
/// events rather than every event ever taken in (<see cref="TelehealthWebhooks.ForgetEventsBefore"/>).
/// </summary>
public sealed class TelehealthEventRetention(TelehealthWebhooks webhooks, IOptions<TelehealthOptions> options, TimeProvider clock,
    ILogger<TelehealthEventRetention> logger) : DueTimeWorker(clock, logger)
{
    // Ids are kept for days: an hour more or less before one is forgotten changes nothing.
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override int BatchSize => 1000;

    /// <returns>How many event ids the pass forgot.</returns>
    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var forgotten = await webhooks.ForgetEventsBefore(now - options.Value.EventRetention, BatchSize, ct);
        if (forgotten > 0) logger.LogInformation("Forgot {Count} telehealth event id(s) past their retention", forgotten);
        return forgotten;
    }
}
