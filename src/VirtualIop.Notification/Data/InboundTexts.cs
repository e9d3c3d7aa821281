using Dapper;
using Npgsql;

namespace VirtualIop.Notification.Data;

/// <summary>
/// The texts the SMS provider has posted, by the provider's message id. A text is acted on only by the transaction
/// that records its id first, so a retried webhook or a replayed signed request has no second effect.
/// </summary>
public sealed class InboundTexts(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>Records a text that changes nothing else (HELP, an unknown number, anything unrecognised).</summary>
    /// <returns>false when the text was taken before.</returns>
    public async Task<bool> Record(Guid clinicId, string providerMessageId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Claim(conn, null, clinicId, providerMessageId, clock.GetUtcNow(), ct);
    }

    /// <summary>Records the text inside the transaction of its effect; false when it was taken before (and the caller then does nothing).</summary>
    public static async Task<bool> Claim(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, string providerMessageId, DateTimeOffset now,
        CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into inbound_sms (provider_message_id, clinic_id, received_at) values (@Id, @Clinic, @Now)
            on conflict (provider_message_id) do nothing
            """, new { Id = providerMessageId, Clinic = clinicId, Now = now }, tx, cancellationToken: ct)) == 1;

    /// <summary>
    /// Forgets up to <paramref name="batchSize"/> ids taken in before <paramref name="cutoff"/>. The rows are claimed with
    /// SKIP LOCKED, so replicas purging at once neither wait on nor repeat each other.
    /// </summary>
    public async Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            with old as (
                select provider_message_id from inbound_sms
                where received_at < @Cutoff
                limit @BatchSize
                for update skip locked
            )
            delete from inbound_sms i using old where i.provider_message_id = old.provider_message_id
            """, new { Cutoff = cutoff, BatchSize = batchSize }, cancellationToken: ct));
    }
}
