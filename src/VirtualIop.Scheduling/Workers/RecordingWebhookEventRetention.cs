using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Workers;

/// <summary>
/// Forgets recording webhook event ids older than Scheduling:RecordingWebhook:EventRetention, so the replay table holds
/// days of deliveries rather than every delivery ever taken in.
/// </summary>
public sealed class RecordingWebhookEventRetention(RecordingWebhookEvents events, IOptions<SchedulingOptions> options, TimeProvider clock,
    ILogger<RecordingWebhookEventRetention> logger) : DueTimeWorker(clock, logger)
{
    // Ids are kept for days: an hour more or less before one is forgotten changes nothing.
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override int BatchSize => 1000;

    /// <returns>How many event ids the pass forgot.</returns>
    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var forgotten = await events.ForgetBefore(now - options.Value.RecordingWebhook.EventRetention, BatchSize, ct);
        if (forgotten > 0) logger.LogInformation("Forgot {Count} recording webhook event id(s) past their retention", forgotten);
        return forgotten;
    }
}
