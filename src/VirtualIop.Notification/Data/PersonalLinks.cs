using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Data;

/// <summary>What redeeming a personal link found.</summary>
public abstract record LinkRedemption
{
    /// <summary>A live link: the patient it names and until when it works.</summary>
    public sealed record Valid(Guid ClinicId, Guid PatientId, DateTimeOffset ExpiresAt) : LinkRedemption;

    /// <summary>A link that worked once and has run out.</summary>
    public sealed record Expired : LinkRedemption;

    /// <summary>No such link, or one revoked.</summary>
    public sealed record Unknown : LinkRedemption;
}

/// <summary>
/// The personal links patients are sent (<see cref="PatientLinks"/>): minted with a message, in the transaction that
/// marks its delivery in flight, redeemed by the portal, revoked by staff, purged after their retention. The token
/// itself exists only in the message: the table keeps its SHA-256.
/// </summary>
public sealed class PersonalLinks(NpgsqlDataSource db, PatientAudit audit, IOptions<NotificationOptions> options, TimeProvider clock)
{
    /// <summary>Mints a link for one patient in the caller's transaction; the token is returned once and never stored.</summary>
    public static async Task<string> Mint(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid patientId, Guid? deliveryId,
        DateTimeOffset now, TimeSpan lifetime, CancellationToken ct)
    {
        var (token, row) = NewLink(clinicId, patientId, deliveryId, now, lifetime);
        await conn.ExecuteAsync(new CommandDefinition(InsertSql, row, tx, cancellationToken: ct));
        return token;
    }

    /// <summary>
    /// Inserts a link's row from the parameters <see cref="NewLink"/> gives. It ends with its select list, so a statement
    /// that mints a link only under a condition appends <c>from</c> a CTE that yields a row when the condition holds.
    /// </summary>
    public const string InsertSql = """
        insert into patient_link (id, clinic_id, patient_id, token_hash, delivery_id, created_at, expires_at)
        select @LinkId, @LinkClinic, @LinkPatient, @LinkHash, @LinkDelivery, @LinkCreatedAt, @LinkExpiresAt
        """;

    /// <summary>A new link: its token, which exists only in the message, and the parameters of its row for <see cref="InsertSql"/>.</summary>
    public static (string Token, DynamicParameters Row) NewLink(Guid clinicId, Guid patientId, Guid? deliveryId, DateTimeOffset now, TimeSpan lifetime)
    {
        var token = PatientLinks.Encode(RandomNumberGenerator.GetBytes(PatientLinks.TokenBytes));
        return (token, new DynamicParameters(new
        {
            LinkId = Guid.CreateVersion7(), LinkClinic = clinicId, LinkPatient = patientId, LinkHash = PatientLinks.Hash(token), LinkDelivery = deliveryId,
            LinkCreatedAt = now, LinkExpiresAt = now + lifetime
        }));
    }

    /// <summary>Mints a link outside a delivery (the answer to a patient's text).</summary>
    public async Task<string> Mint(Guid clinicId, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Mint(conn, null, clinicId, patientId, null, clock.GetUtcNow(), options.Value.PatientLinks.Lifetime, ct);
    }

    /// <summary>A link the care team hands over themselves (read out, or sent by the clinic's own means): minted and audited together.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> Issue(ClinicContext clinic, Guid patientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var token = await Mint(conn, tx, clinic.ClinicId, patientId, null, now, options.Value.PatientLinks.Lifetime, ct);
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return (token, now + options.Value.PatientLinks.Lifetime);
    }

    /// <summary>
    /// Looks a token up by its hash. A live link's redemption is stamped on the link and audited as a change, in the same
    /// transaction, for the link's own clinic and patient, naming <paramref name="clientId"/> (the portal that redeemed it).
    /// </summary>
    public async Task<LinkRedemption> Redeem(string token, string clientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var link = await conn.QuerySingleOrDefaultAsync<(Guid Id, Guid ClinicId, Guid PatientId, DateTimeOffset ExpiresAt)?>(new CommandDefinition("""
            select id, clinic_id, patient_id, expires_at from patient_link where token_hash = @Hash and revoked_at is null
            """, new { Hash = PatientLinks.Hash(token) }, tx, cancellationToken: ct));
        if (link is not { } found) return new LinkRedemption.Unknown();
        if (PatientLinks.IsExpired(found.ExpiresAt, now)) return new LinkRedemption.Expired();
        await conn.ExecuteAsync(new CommandDefinition("update patient_link set last_redeemed_at = @Now where id = @Id",
            new { found.Id, Now = now }, tx, cancellationToken: ct));
        await audit.ChangeFor(new ClinicContext(found.ClinicId, clientId), conn, tx, [found.PatientId], ct);
        await tx.CommitAsync(ct);
        return new LinkRedemption.Valid(found.ClinicId, found.PatientId, found.ExpiresAt);
    }

    /// <summary>Revokes every link of the patient that still works, audited as a change to the patient's data.</summary>
    /// <returns>How many links stopped working.</returns>
    public async Task<int> RevokeAll(ClinicContext clinic, Guid patientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var revoked = await conn.ExecuteAsync(new CommandDefinition("""
            update patient_link set revoked_at = @Now
            where clinic_id = @Clinic and patient_id = @Patient and revoked_at is null and expires_at > @Now
            """, new { Clinic = clinic.ClinicId, Patient = patientId, Now = now }, tx, cancellationToken: ct));
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return revoked;
    }

    /// <summary>
    /// Forgets up to <paramref name="batchSize"/> links that stopped working (expired or revoked) before
    /// <paramref name="cutoff"/>, claimed with SKIP LOCKED so replicas purging at once neither wait on nor repeat each other.
    /// </summary>
    public async Task<int> ForgetBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            with old as (
                select id from patient_link
                where expires_at < @Cutoff or revoked_at < @Cutoff
                limit @BatchSize
                for update skip locked
            )
            delete from patient_link l using old where l.id = old.id
            """, new { Cutoff = cutoff, BatchSize = batchSize }, cancellationToken: ct));
    }
}
