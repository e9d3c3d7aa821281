using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>
/// One-off sessions and their participants. Every read and change through the API is audited for the patients on the
/// sessions it shows or changes (<see cref="PatientAudit"/>), a change in its own transaction.
/// </summary>
public sealed class Sessions(NpgsqlDataSource db, Outbox outbox, Makeups makeups, TimeProvider clock, PatientAudit audit)
{
    /// <summary>Stores the session and its participants and queues SessionScheduled, all in one transaction.</summary>
    public async Task<Session> Schedule(Guid clinicId, NewSession session, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleAsync<SessionRows.Row>(new CommandDefinition("""
            insert into session (clinic_id, id, kind, starts_at, ends_at, time_zone, created_at)
            values (@Clinic, @Id, @Kind, @StartsAt, @EndsAt, @TimeZone, @Now)
            returning id, kind, starts_at, ends_at, time_zone, created_at, version
            """,
            new { Clinic = clinicId, Id = id, Kind = session.Kind.Name(), session.StartsAt, session.EndsAt, session.TimeZone, Now = now },
            tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into session_participant (clinic_id, session_id, patient_id, position)
            select @Clinic, @Id, p.patient_id, p.position
            from unnest(@PatientIds) with ordinality as p(patient_id, position)
            """, new { Clinic = clinicId, Id = id, PatientIds = session.PatientIds.ToArray() }, tx, cancellationToken: ct));
        row.PatientIds = [.. session.PatientIds];

        var stored = row.ToSession();
        await outbox.Add(conn, tx, new SessionScheduled(Guid.CreateVersion7(now), clinicId, stored.Id, stored.Kind.Name(),
            stored.StartsAt, stored.EndsAt, stored.TimeZone, stored.PatientIds, Version: row.Version), ct);
        await audit.Change(conn, tx, stored.PatientIds, ct);
        await tx.CommitAsync(ct);
        return stored;
    }

    /// <summary>
    /// Moves one session (a per-occurrence exception when it belongs to a series: the series' other occurrences and
    /// the occurrence's number stay), bumps its SEQUENCE and queues SessionRescheduled; the participants stay with it.
    /// </summary>
    public async Task<(Session? Session, SessionChangeRefusal? Refusal)> Reschedule(Guid clinicId, Guid id, Reschedule move, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await LockForChange(conn, tx, clinicId, id, now, ct);
        if (current.Refusal is { } refusal) return (null, refusal);
        var version = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            update session set starts_at = @StartsAt, ends_at = @EndsAt, sequence = sequence + 1, version = version + 1
            where clinic_id = @Clinic and id = @Id
            returning version
            """, new { Clinic = clinicId, Id = id, move.StartsAt, move.EndsAt }, tx, cancellationToken: ct));
        try
        {
            // A booked one-on-one moves its booking too; the exclusion constraints refuse a move onto a busy slot.
            await conn.ExecuteAsync(new CommandDefinition("""
                update booking set during = tstzrange(@StartsAt, @EndsAt) where clinic_id = @Clinic and session_id = @Id
                """, new { Clinic = clinicId, Id = id, move.StartsAt, move.EndsAt }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (BookingConstraints.ConflictOf(e) is not null)
        {
            return (null, SessionChangeRefusal.SlotTaken);
        }
        await outbox.Add(conn, tx, new SessionRescheduled(Guid.CreateVersion7(now), clinicId, id, current.Row!.StartsAt, move.StartsAt,
            move.EndsAt, current.Row!.TimeZone, move.Reason.Name(), version), ct);
        var moved = await Find(conn, tx, clinicId, id, ct);
        await audit.Change(conn, tx, moved!.PatientIds, ct);
        await tx.CommitAsync(ct);
        return (moved, null);
    }

    /// <summary>
    /// Cancels one session, bumps its SEQUENCE and queues SessionCancelled; the row stays, shown as cancelled. Makeups
    /// booked or waiting for a seat in it are open again for the patient to choose anew.
    /// </summary>
    public async Task<(Session? Session, SessionChangeRefusal? Refusal)> Cancel(Guid clinicId, Guid id, ChangeReason reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await LockForChange(conn, tx, clinicId, id, now, ct);
        if (current.Refusal is { } refusal) return (null, refusal);
        var version = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            update session set status = 'cancelled', cancel_reason = @Reason, sequence = sequence + 1, version = version + 1 where clinic_id = @Clinic and id = @Id
            returning version;
            update booking set status = 'cancelled' where clinic_id = @Clinic and session_id = @Id;
            """, new { Clinic = clinicId, Id = id, Reason = reason.Name() }, tx, cancellationToken: ct));
        await makeups.AfterSessionsCancelled(conn, tx, clinicId, [id], now, ct);
        await outbox.Add(conn, tx, new SessionCancelled(Guid.CreateVersion7(now), clinicId, id, current.Row!.StartsAt, current.Row.TimeZone,
            reason.Name(), version), ct);
        var cancelled = await Find(conn, tx, clinicId, id, ct);
        await audit.Change(conn, tx, cancelled!.PatientIds, ct);
        await tx.CommitAsync(ct);
        return (cancelled, null);
    }

    static async Task<(SessionRows.Row? Row, SessionChangeRefusal? Refusal)> LockForChange(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid id, DateTimeOffset now, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<SessionRows.Row>(new CommandDefinition("""
            select id, kind, starts_at, ends_at, time_zone, created_at, status, sequence
            from session where clinic_id = @Clinic and id = @Id for update
            """, new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        if (row is null) return (null, SessionChangeRefusal.NotFound);
        if (row.Status == "cancelled") return (null, SessionChangeRefusal.Cancelled);
        if (row.StartsAt <= now) return (null, SessionChangeRefusal.AlreadyStarted);
        return (row, null);
    }

    /// <returns>null when no such session exists for this clinic (another clinic's session included).</returns>
    public async Task<Session?> Find(Guid clinicId, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Find(conn, null, clinicId, id, ct);
    }

    /// <summary>As <see cref="Find(Guid, Guid, CancellationToken)"/>, for a caller that shows the session: its patients are audited as read.</summary>
    public async Task<Session?> Show(Guid clinicId, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var session = await Find(conn, null, clinicId, id, ct);
        if (session is not null) await audit.Read(conn, session.PatientIds, ct);
        return session;
    }

    static async Task<Session?> Find(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid id, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<SessionRows.Row>(new CommandDefinition($"""
            {SelectSessions}
            where s.clinic_id = @Clinic and s.id = @Id
            """,
            new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        return row?.ToSession();
    }

    /// <summary>
    /// One page of the clinic's sessions starting in the window, by (start, id), and the next page's cursor when more
    /// follow; the patients on the page are audited as read.
    /// </summary>
    public async Task<(IReadOnlyList<Session> Sessions, string? NextCursor)> StartingWithin(Guid clinicId, SessionWindow window, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<SessionRows.Row>(new CommandDefinition($"""
            {SelectSessions}
            where s.clinic_id = @Clinic and s.starts_at >= @From and s.starts_at < @To
              and (@AfterStartsAt::timestamptz is null or (s.starts_at, s.id) > (@AfterStartsAt, @AfterId))
            order by s.starts_at, s.id
            limit @Take
            """,
            new { Clinic = clinicId, window.From, window.To, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct))).ToList();
        var (kept, nextCursor) = page.Cut(rows, r => (r.StartsAt, r.Id));
        var shown = kept.Select(r => r.ToSession()).ToList();
        await audit.Read(conn, shown.SelectMany(s => s.PatientIds), ct);
        return (shown, nextCursor);
    }

    /// <summary>A session with its patients in the order the clinic listed them; callers add the clinic filter.</summary>
    const string SelectSessions = """
        select s.id, s.kind, s.starts_at, s.ends_at, s.time_zone, s.created_at, s.status, s.sequence,
               array(select p.patient_id from session_participant p
                     where p.clinic_id = s.clinic_id and p.session_id = s.id
                     order by p.position) as patient_ids
        from session s
        """;
}
