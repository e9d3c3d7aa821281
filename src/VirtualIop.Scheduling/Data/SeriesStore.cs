using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Data;

/// <summary>What editing a series from a date onward did: the series that carries on, and how many occurrences it replaced.</summary>
public sealed record SeriesChange(SeriesRow Series, int Occurrences, int Cancelled);

/// <summary>
/// Recurring series of a cohort. Creating or changing one puts the cohort's patients on (or takes them off) sessions, so
/// both are audited, in their own transaction, for those patients (<see cref="PatientAudit"/>).
/// </summary>
public sealed class SeriesStore(NpgsqlDataSource db, SeriesMaterialisation materialisation, Outbox outbox, Makeups makeups, TimeProvider clock,
    IOptions<SchedulingOptions> options, PatientAudit audit)
{
    /// <summary>
    /// Stores the series and materialises its occurrences up to the horizon, all in one transaction while the cohort is
    /// locked, so an enrolment either precedes it (and is on every roster) or follows it (and joins every future session).
    /// </summary>
    /// <returns>null when the cohort does not exist for this clinic (nothing written).</returns>
    public async Task<(SeriesRow Series, int Occurrences)?> Create(Guid clinicId, Guid cohortId, SeriesRule rule, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var created = await Insert(conn, tx, clinicId, cohortId, rule, now, ct);
        if (created is null) return null;
        await audit.Change(conn, tx, await Affected(conn, tx, clinicId, cohortId, [], ct), ct);
        await tx.CommitAsync(ct);
        return created;
    }

    /// <returns>null when no such series of this cohort exists for this clinic.</returns>
    public async Task<SeriesRow?> Find(Guid clinicId, Guid cohortId, Guid seriesId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition($"""
            {SelectSeries}
            where s.clinic_id = @Clinic and s.cohort_id = @Cohort and s.id = @Series
            """, new { Clinic = clinicId, Cohort = cohortId, Series = seriesId }, cancellationToken: ct));
    }

    /// <summary>
    /// Edits a series from <paramref name="from"/> onward, all in one transaction with the cohort locked: the series ends
    /// there, its scheduled occurrences from then on are cancelled (SEQUENCE bumped, SessionCancelled with the reason), and
    /// a new series with <paramref name="rule"/> carries on and is materialised. Makeups booked or waiting for a seat in a
    /// cancelled occurrence are open again. Occurrences before <paramref name="from"/>, past ones included, stay as they were.
    /// </summary>
    /// <returns>null when no such series of this cohort exists for this clinic (nothing written).</returns>
    public async Task<SeriesChange?> ChangeFrom(Guid clinicId, Guid cohortId, Guid seriesId, DateTimeOffset from, SeriesRule rule, ChangeReason reason,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            select 1 from cohort where clinic_id = @Clinic and id = @Cohort for update
            """, new { Clinic = clinicId, Cohort = cohortId }, tx, cancellationToken: ct));
        var ended = await conn.ExecuteAsync(new CommandDefinition("""
            update series set ends_before = least(coalesce(ends_before, @From), @From)
            where clinic_id = @Clinic and cohort_id = @Cohort and id = @Series
            """, new { Clinic = clinicId, Cohort = cohortId, Series = seriesId, From = from }, tx, cancellationToken: ct));
        if (ended == 0) return null;
        var cancelled = (await conn.QueryAsync<SessionRows.Times>(new CommandDefinition("""
            update session set status = 'cancelled', cancel_reason = @Reason, sequence = sequence + 1, version = version + 1
            where clinic_id = @Clinic and series_id = @Series and status = 'scheduled' and starts_at >= @From
            returning id as session_id, starts_at, ends_at, time_zone, version
            """, new { Clinic = clinicId, Series = seriesId, From = from, Reason = reason.Name() }, tx, cancellationToken: ct))).ToList();
        await conn.ExecuteAsync(new CommandDefinition("""
            update booking set status = 'cancelled' where clinic_id = @Clinic and session_id = any(@Sessions)
            """, new { Clinic = clinicId, Sessions = cancelled.Select(c => c.SessionId).ToArray() }, tx, cancellationToken: ct));
        await makeups.AfterSessionsCancelled(conn, tx, clinicId, cancelled.Select(c => c.SessionId).ToList(), now, ct);
        await outbox.AddRange(conn, tx, cancelled.Select(IIntegrationEvent (c) =>
            new SessionCancelled(Guid.CreateVersion7(now), clinicId, c.SessionId, c.StartsAt, c.TimeZone, reason.Name(), c.Version)).ToList(), ct);
        var (series, count) = (await Insert(conn, tx, clinicId, cohortId, rule, now, ct))!.Value;
        await audit.Change(conn, tx, await Affected(conn, tx, clinicId, cohortId, cancelled.Select(c => c.SessionId).ToArray(), ct), ct);
        await tx.CommitAsync(ct);
        return new SeriesChange(series, count, cancelled.Count);
    }

    /// <summary>The patients a series change touches: the cohort's roster, who join its new sessions, and everyone on the cancelled ones.</summary>
    static async Task<IEnumerable<Guid>> Affected(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid cohortId, Guid[] cancelled,
        CancellationToken ct) =>
        await conn.QueryAsync<Guid>(new CommandDefinition("""
            select patient_id from enrolment where clinic_id = @Clinic and cohort_id = @Cohort and ended_at is null
            union
            select patient_id from session_participant where clinic_id = @Clinic and session_id = any(@Cancelled)
            """, new { Clinic = clinicId, Cohort = cohortId, Cancelled = cancelled }, tx, cancellationToken: ct));

    /// <summary>Stores a series of the cohort (locked here) and materialises it up to the horizon, in the caller's transaction.</summary>
    async Task<(SeriesRow Series, int Occurrences)?> Insert(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid cohortId, SeriesRule rule,
        DateTimeOffset now, CancellationToken ct)
    {
        var cohort = await conn.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition("""
            select clinic_id, id as cohort_id, program_id, facilitator_clinician_id from cohort
            where clinic_id = @Clinic and id = @Cohort for update
            """, new { Clinic = clinicId, Cohort = cohortId }, tx, cancellationToken: ct));
        if (cohort is null) return null;
        var series = new SeriesRow
        {
            ClinicId = clinicId, Id = Guid.CreateVersion7(now), CohortId = cohortId, ProgramId = cohort.ProgramId,
            FacilitatorClinicianId = cohort.FacilitatorClinicianId, Rrule = rule.Rrule,
            FirstStartLocal = DateTime.SpecifyKind(rule.FirstStartLocal, DateTimeKind.Unspecified), DurationMinutes = rule.DurationMinutes,
            TimeZone = rule.TimeZone, MaterialisedUntil = now, CreatedAt = now
        };
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into series (clinic_id, id, cohort_id, rrule, first_start_local, duration_minutes, time_zone, materialised_until, created_at)
            values (@ClinicId, @Id, @CohortId, @Rrule, @FirstStartLocal, @DurationMinutes, @TimeZone, @MaterialisedUntil, @CreatedAt)
            """, series, tx, cancellationToken: ct));
        var count = await materialisation.Materialise(conn, tx, clinicId, series, now, now + options.Value.SeriesHorizon, ct);
        series.MaterialisedUntil = now + options.Value.SeriesHorizon;
        return (series, count);
    }

    /// <summary>
    /// Rolls one series whose materialisation falls behind <paramref name="until"/> forward. Locks are taken in the order
    /// every writer of a series takes them, cohort first, then series (creation and change-from do the same), so the
    /// worker racing a change-from waits instead of deadlocking. The cohort is claimed with SKIP LOCKED, so replicas share
    /// the work and a cohort busy with a change or an enrolment is rolled on the next pass.
    /// </summary>
    /// <returns>false when no series was due.</returns>
    public async Task<bool> MaterialiseNextDue(DateTimeOffset until, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var claimed = await conn.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition($"""
            select s.clinic_id, s.id from series s join cohort c on c.clinic_id = s.clinic_id and c.id = s.cohort_id
            where {Due}
            order by s.materialised_until
            limit 1
            for update of c skip locked
            """, new { Until = until }, tx, cancellationToken: ct));
        if (claimed is null) return false;
        // A statement of its own: under read committed it sees what a change-from committed before the cohort lock was granted.
        var series = await conn.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition($"""
            {SelectSeries}
            where s.clinic_id = @Clinic and s.id = @Id and {Due}
            for update of s
            """, new { Clinic = claimed.ClinicId, claimed.Id, Until = until }, tx, cancellationToken: ct));
        if (series is not null) await materialisation.Materialise(conn, tx, series.ClinicId, series, series.MaterialisedUntil, until, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    const string Due = "s.materialised_until < @Until and (s.ends_before is null or s.materialised_until < s.ends_before)";

    const string SelectSeries = """
        select s.clinic_id, s.id, s.cohort_id, s.rrule, s.first_start_local, s.duration_minutes, s.time_zone,
               s.materialised_until, s.created_at, s.ends_before, c.program_id, c.facilitator_clinician_id
        from series s join cohort c on c.clinic_id = s.clinic_id and c.id = s.cohort_id
        """;
}
