using Dapper;
using Npgsql;

namespace VirtualIop.BuildingBlocks.Data;

/// <summary>The first successful answer to a keyed request, replayed to every retry with the same key and request.</summary>
public sealed record StoredAnswer(int StatusCode, string? ContentType, string? Location, byte[] Body);

/// <summary>Who holds a key: the request's fingerprint, and the stored answer once its first request has succeeded.</summary>
public sealed record KeyHolder(byte[] RequestHash, StoredAnswer? Answer);

/// <summary>
/// The Idempotency-Key claims of one service's database. A key is claimed before its request runs (pending), then
/// either completed with the answer or released, so that a request that failed can be retried under the same key.
/// </summary>
public sealed class IdempotencyKeys(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>How long a key and its answer are kept: retries within it replay the first answer.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>A claim still pending after this long belongs to a request that died with its process; a retry takes it over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <returns>The new claim's id, or null when another request holds the key (pending or completed within the window).</returns>
    public async Task<Guid?> TryClaim(Guid clinic, string client, string key, byte[] requestHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var claim = Guid.NewGuid();
        await using var conn = await db.OpenConnectionAsync(ct);
        // A key past its window, or a claim abandoned mid-request, is taken over as if it were new.
        var claimed = await conn.ExecuteScalarAsync<bool?>(new CommandDefinition("""
            insert into idempotency_key (clinic_id, client_id, key, request_hash, claim_id, claimed_at)
            values (@Clinic, @Client, @Key, @Hash, @Claim, @Now)
            on conflict (clinic_id, client_id, key) do update
                set request_hash = excluded.request_hash, claim_id = excluded.claim_id, claimed_at = excluded.claimed_at,
                    completed_at = null, status_code = null, content_type = null, location = null, body = null
                where idempotency_key.claimed_at < @ExpiredBefore
                   or (idempotency_key.completed_at is null and idempotency_key.claimed_at < @AbandonedBefore)
            returning true
            """, new { Clinic = clinic, Client = client, Key = key, Hash = requestHash, Claim = claim, Now = now,
                ExpiredBefore = now - Window, AbandonedBefore = now - AbandonedAfter }, cancellationToken: ct));
        return claimed == true ? claim : null;
    }

    /// <returns>Who holds the key now, or null when its holder has released it since.</returns>
    public async Task<KeyHolder?> Holder(Guid clinic, string client, string key, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<HolderRow>(new CommandDefinition("""
            select request_hash, completed_at is not null as completed, status_code, content_type, location, body
            from idempotency_key
            where clinic_id = @Clinic and client_id = @Client and key = @Key
            """, new { Clinic = clinic, Client = client, Key = key }, cancellationToken: ct));
        return row is null ? null
            : new KeyHolder(row.RequestHash, !row.Completed ? null : new StoredAnswer(row.StatusCode!.Value, row.ContentType, row.Location, row.Body ?? []));
    }

    public async Task Complete(Guid clinic, string client, string key, Guid claim, StoredAnswer answer, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update idempotency_key
            set completed_at = @Now, status_code = @StatusCode, content_type = @ContentType, location = @Location, body = @Body
            where clinic_id = @Clinic and client_id = @Client and key = @Key and claim_id = @Claim
            """, new { Clinic = clinic, Client = client, Key = key, Claim = claim, Now = clock.GetUtcNow(), answer.StatusCode, answer.ContentType,
                answer.Location, answer.Body }, cancellationToken: ct));
    }

    /// <summary>Gives the key back after a request that created nothing (a refusal or a failure), so it can be retried.</summary>
    public async Task Release(Guid clinic, string client, string key, Guid claim, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            delete from idempotency_key
            where clinic_id = @Clinic and client_id = @Client and key = @Key and claim_id = @Claim and completed_at is null
            """, new { Clinic = clinic, Client = client, Key = key, Claim = claim }, cancellationToken: ct));
    }

    /// <returns>How many keys claimed before <paramref name="cutoff"/> were forgotten, at most <paramref name="batchSize"/>.</returns>
    public async Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            with old as (
                select clinic_id, client_id, key from idempotency_key
                where claimed_at < @Cutoff
                limit @BatchSize
                for update skip locked
            )
            delete from idempotency_key k using old
            where k.clinic_id = old.clinic_id and k.client_id = old.client_id and k.key = old.key
            """, new { Cutoff = cutoff, BatchSize = batchSize }, cancellationToken: ct));
    }

    sealed record HolderRow(byte[] RequestHash, bool Completed, int? StatusCode, string? ContentType, string? Location, byte[]? Body);
}
