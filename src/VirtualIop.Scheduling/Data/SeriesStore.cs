using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Data;

public sealed class SeriesStore(NpgsqlDataSource db, SeriesMaterialisation materialisation, TimeProvider clock, IOptions<SchedulingOptions> options)
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
        await tx.CommitAsync(ct);
        series.MaterialisedUntil = now + options.Value.SeriesHorizon;
        return (series, count);
    }

    /// <summary>
    /// Rolls one series whose materialisation falls behind <paramref name="until"/> forward, claimed with SKIP LOCKED so
    /// replicas share the work; the cohort is locked as during creation.
    /// </summary>
    /// <returns>false when no series was due.</returns>
    public async Task<bool> MaterialiseNextDue(DateTimeOffset until, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var series = await conn.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition("""
            select s.clinic_id, s.id, s.cohort_id, s.rrule, s.first_start_local, s.duration_minutes, s.time_zone,
                   s.materialised_until, s.created_at, c.program_id, c.facilitator_clinician_id
            from series s join cohort c on c.clinic_id = s.clinic_id and c.id = s.cohort_id
            where s.materialised_until < @Until
            order by s.materialised_until
            limit 1
            for update of s skip locked
            """, new { Until = until }, tx, cancellationToken: ct));
        if (series is null) return false;
        await conn.ExecuteAsync(new CommandDefinition("""
            select 1 from cohort where clinic_id = @Clinic and id = @Cohort for update
            """, new { Clinic = series.ClinicId, Cohort = series.CohortId }, tx, cancellationToken: ct));
        await materialisation.Materialise(conn, tx, series.ClinicId, series, series.MaterialisedUntil, until, ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
