using Dapper;
using Npgsql;

namespace VirtualIop.Scheduling.Data;

/// <summary>The ids of recording webhook deliveries already applied (written by <see cref="Makeups.ReportWatching"/>).</summary>
public sealed class RecordingWebhookEvents(NpgsqlDataSource db)
{
    /// <summary>
    /// Forgets up to <paramref name="batchSize"/> ids taken in before <paramref name="cutoff"/>. The rows are claimed with
    /// SKIP LOCKED, so replicas purging at once neither wait on nor repeat each other.
    /// </summary>
    public async Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            with old as (
                select clinic_id, event_id from recording_webhook_event
                where received_at < @Cutoff
                limit @BatchSize
                for update skip locked
            )
            delete from recording_webhook_event r using old
            where r.clinic_id = old.clinic_id and r.event_id = old.event_id
            """, new { Cutoff = cutoff, BatchSize = batchSize }, cancellationToken: ct));
    }
}
