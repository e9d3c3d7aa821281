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
    ILogger<TelehealthEventRetention> logger) : RetentionWorker(clock, logger)
{
    protected override TimeSpan Retention => options.Value.EventRetention;

    protected override string Rows => "telehealth event id(s)";

    protected override Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct) =>
        webhooks.ForgetEventsBefore(cutoff, batchSize, ct);
}
