using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Forgets finished webhook deliveries (delivered, or failed for good) with their attempts once their last attempt is
/// older than Webhooks:LogRetention, so the delivery log holds weeks rather than every event ever sent. Pending ones stay.
/// </summary>
public sealed class WebhookLogRetention(NpgsqlDataSource db, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookLogRetention> logger)
    : RetentionWorker(clock, logger)
{
    protected override TimeSpan Retention => options.Value.LogRetention;

    protected override string Rows => "finished webhook deliveries";

    protected override async Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            delete from webhook_delivery
            where id in (select id from webhook_delivery
                         where status in ('delivered', 'failed') and coalesce(last_attempt_at, created_at) < @Cutoff
                         limit @BatchSize
                         for update skip locked)
            """, new { Cutoff = cutoff, BatchSize = batchSize }, cancellationToken: ct));
    }
}
