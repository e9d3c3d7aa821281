using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Channels.Sms;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Forgets the ids of inbound texts older than Sms:InboundRetention, so the replay table holds months of texts rather
/// than every text ever received.
/// </summary>
public sealed class InboundSmsRetention(InboundTexts texts, IOptions<SmsOptions> options, TimeProvider clock, ILogger<InboundSmsRetention> logger)
    : RetentionWorker(clock, logger)
{
    protected override TimeSpan Retention => options.Value.InboundRetention;

    protected override string Rows => "inbound text id(s)";

    protected override Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct) =>
        texts.ForgetBefore(cutoff, batchSize, ct);
}
