using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Domain;
using VirtualIop.BuildingBlocks.Audit;

namespace VirtualIop.Scheduling.Data;

public enum FeedOwner
{
    Patient,
    Clinician
}

/// <summary>The sessions a feed shows: its owner's, from a month back to half a year ahead.</summary>
public sealed class CalendarFeeds(NpgsqlDataSource db, TimeProvider clock, PatientAudit audit)
{
    public static readonly TimeSpan Past = TimeSpan.FromDays(31);
    public static readonly TimeSpan Ahead = TimeSpan.FromDays(183);
    public const int MaxEvents = 1000;

    /// <summary>Issues a new secret token for the owner's feed; a previous one is revoked in the same transaction.</summary>
    /// <returns>The token, shown to the caller this once (only its hash is stored).</returns>
    public async Task<string> Issue(Guid clinicId, FeedOwner owner, Guid ownerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var token = FeedTokens.New();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update calendar_feed set revoked_at = @Now
            where clinic_id = @Clinic and owner_kind = @Kind and owner_id = @Owner and revoked_at is null;
            insert into calendar_feed (clinic_id, id, owner_kind, owner_id, token_hash, created_at)
            values (@Clinic, @Id, @Kind, @Owner, @Hash, @Now);
            """,
            new { Clinic = clinicId, Id = Guid.CreateVersion7(now), Kind = Name(owner), Owner = ownerId, Hash = FeedTokens.Hash(token), Now = now },
            tx, cancellationToken: ct));
        if (owner == FeedOwner.Patient) await audit.Change(conn, tx, [ownerId], ct);
        await tx.CommitAsync(ct);
        return token;
    }

    /// <returns>false when the owner has no active feed in this clinic.</returns>
    public async Task<bool> Revoke(Guid clinicId, FeedOwner owner, Guid ownerId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var revoked = await conn.ExecuteAsync(new CommandDefinition("""
            update calendar_feed set revoked_at = @Now
            where clinic_id = @Clinic and owner_kind = @Kind and owner_id = @Owner and revoked_at is null
            """, new { Clinic = clinicId, Kind = Name(owner), Owner = ownerId, Now = clock.GetUtcNow() }, tx, cancellationToken: ct)) > 0;
        if (revoked && owner == FeedOwner.Patient) await audit.Change(conn, tx, [ownerId], ct);
        await tx.CommitAsync(ct);
        return revoked;
    }

    /// <summary>
    /// The sessions of the active feed whose token this is, cancelled ones included; the clinic is the token's own, so
    /// nothing of another clinic can be reached.
    /// </summary>
    /// <returns>null when no active feed has this token.</returns>
    public async Task<IReadOnlyList<FeedSession>?> Sessions(string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var feed = await conn.QuerySingleOrDefaultAsync<FeedRow>(new CommandDefinition("""
            select clinic_id, owner_kind, owner_id from calendar_feed where token_hash = @Hash and revoked_at is null
            """, new { Hash = FeedTokens.Hash(token) }, cancellationToken: ct));
        if (feed is null) return null;
        var filter = feed.OwnerKind == Name(FeedOwner.Clinician)
            ? "s.clinician_id = @Owner"
            : "exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Owner)";
        var rows = await conn.QueryAsync<SessionRows.Row>(new CommandDefinition($"""
            select s.id, s.kind, s.starts_at, s.ends_at, s.time_zone, s.status, s.sequence
            from session s
            where s.clinic_id = @Clinic and {filter} and s.starts_at >= @From and s.starts_at < @To
            order by s.starts_at, s.id
            limit {MaxEvents}
            """, new { Clinic = feed.ClinicId, Owner = feed.OwnerId, From = now - Past, To = now + Ahead }, cancellationToken: ct));
        if (feed.OwnerKind == Name(FeedOwner.Patient)) await audit.ReadBySecretLink(conn, feed.ClinicId, [feed.OwnerId], ct);
        return rows.Select(r => new FeedSession(r.Id, SessionKinds.Parse(r.Kind), r.StartsAt, r.EndsAt, r.TimeZone, r.Status, r.Sequence)).ToList();
    }

    static string Name(FeedOwner owner) => WireName.Of(owner);

    sealed class FeedRow
    {
        public Guid ClinicId { get; set; }
        public string OwnerKind { get; set; } = "";
        public Guid OwnerId { get; set; }
    }
}
