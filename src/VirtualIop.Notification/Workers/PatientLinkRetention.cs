using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Forgets personal links Notification:PatientLinks:Retention after they stopped working (expired or revoked), so the
/// table holds the links of recent messages rather than every link ever sent.
/// </summary>
public sealed class PatientLinkRetention(PersonalLinks links, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<PatientLinkRetention> logger)
    : RetentionWorker(clock, logger)
{
    protected override TimeSpan Retention => options.Value.PatientLinks.Retention;

    protected override string Rows => "personal link(s)";

    protected override Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct) =>
        links.ForgetBefore(cutoff, batchSize, ct);
}
