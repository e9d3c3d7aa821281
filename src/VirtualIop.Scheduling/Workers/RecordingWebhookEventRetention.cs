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
    ILogger<RecordingWebhookEventRetention> logger) : RetentionWorker(clock, logger)
{
    protected override TimeSpan Retention => options.Value.RecordingWebhook.EventRetention;

    protected override string Rows => "recording webhook event id(s)";

    protected override Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct) =>
        events.ForgetBefore(cutoff, batchSize, ct);
}
