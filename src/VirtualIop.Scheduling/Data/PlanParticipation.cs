using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>A dry run of a frequency: what it would do to the patient's future sessions, with nothing written.</summary>
public sealed record PlanPreview(Guid PatientId, int SessionsPerWeek, DateOnly? EffectiveFrom, IReadOnlyList<CohortOccurrence> Kept,
    IReadOnlyList<CohortOccurrence> Dropped, IReadOnlyList<CohortOccurrence> Added);

/// <summary>
/// Moves a patient's participation in their cohorts' series to their planned frequency (<see cref="WeeklyParticipation"/>).
/// The preview and the change compute the same <see cref="ParticipationChange"/> from the same rows; the change then goes
/// through the roster steps enrolment and discharge use, so each session's version and events follow as they do there.
/// </summary>
public sealed class PlanParticipation(NpgsqlDataSource db, Cohorts cohorts, TimeProvider clock, PatientAudit audit)
{
    /// <returns>null when the patient has no active enrolment in this clinic.</returns>
    public async Task<PlanPreview?> Preview(Guid clinicId, Guid patientId, FrequencyPlan plan, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var changes = await Changes(conn, null, clinicId, patientId, plan, ct);
        if (changes is null) return null;
        await audit.Read(conn, [patientId], ct);
        return new PlanPreview(patientId, plan.SessionsPerWeek, plan.EffectiveFrom,
            [.. changes.SelectMany(c => c.Kept).OrderBy(o => o.StartsAt)], [.. changes.SelectMany(c => c.Dropped).OrderBy(o => o.StartsAt)],
            [.. changes.SelectMany(c => c.Added).OrderBy(o => o.StartsAt)]);
    }

    /// <summary>Applies the plan in the caller's transaction, with the patient's cohorts locked as enrolment locks them.</summary>
    public async Task Apply(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, FrequencyPlan plan, CancellationToken ct)
    {
        foreach (var change in await Changes(conn, tx, clinicId, patientId, plan, ct) ?? [])
        {
            if (change.Dropped.Count > 0)
                await cohorts.LeaveFutureSessions(conn, tx, clinicId, change.Dropped[0].CohortId, patientId, [.. change.Dropped.Select(o => o.SessionId)], ct);
            if (change.Added.Count > 0)
                await cohorts.JoinFutureSessions(conn, tx, clinicId, change.Added[0].CohortId, patientId, [.. change.Added.Select(o => o.SessionId)], null, ct);
        }
    }

    /// <summary>One change per cohort the patient is enrolled in; null when there is none. With a transaction, the cohorts are locked.</summary>
    async Task<List<ParticipationChange>?> Changes(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid patientId, FrequencyPlan plan,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cohortIds = (await conn.QueryAsync<Guid>(new CommandDefinition($"""
            select c.id from cohort c join enrolment e on e.clinic_id = c.clinic_id and e.cohort_id = c.id
            where e.clinic_id = @Clinic and e.patient_id = @Patient and e.ended_at is null
            order by c.id
            {(tx is null ? "" : "for update of c")}
            """, new { Clinic = clinicId, Patient = patientId }, tx, cancellationToken: ct))).ToArray();
        if (cohortIds.Length == 0) return null;
        var start = plan.EffectiveFrom is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : now;
        var rows = (await conn.QueryAsync<OccurrenceRow>(new CommandDefinition("""
            select s.id as session_id, s.cohort_id, s.starts_at, s.time_zone,
                   exists (select 1 from session_participant p
                           where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Patient) as on_roster
            from session s
            where s.clinic_id = @Clinic and s.cohort_id = any(@Cohorts) and s.series_id is not null and s.status = 'scheduled'
              and s.starts_at >= @From
            """, new { Clinic = clinicId, Patient = patientId, Cohorts = cohortIds, From = (start < now ? start : now) - WeeklyParticipation.WeekLookBack },
            tx, cancellationToken: ct))).ToList();
        var onRoster = rows.Where(r => r.OnRoster).Select(r => r.SessionId).ToHashSet();
        return cohortIds.Select(cohort => WeeklyParticipation.Change(
            rows.Where(r => r.CohortId == cohort).Select(r => r.ToOccurrence()).ToList(), onRoster, plan, now)).ToList();
    }

    /// <summary>
    /// For each of these patients with a planned frequency or seen individually, the cohort's scheduled series occurrences from
    /// <paramref name="from"/> on that the frequency leaves them out of, so that joining a cohort (enrolment, transfer) and
    /// materialising a series honour the plan without a second roster change.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, HashSet<Guid>>> LeftOut(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid cohortId,
        Guid[] patientIds, DateTimeOffset from, DateTimeOffset now, CancellationToken ct)
    {
        var plans = (await conn.QueryAsync<(Guid PatientId, int? SessionsPerWeek, DateTime? EffectiveFrom, string? Modality)>(new CommandDefinition("""
            select patient_id, sessions_per_week, frequency_effective_from, modality from patient_plan
            where clinic_id = @Clinic and patient_id = any(@Patients) and (sessions_per_week is not null or modality = @Individual)
            """, new { Clinic = clinicId, Patients = patientIds, Individual = IndividualSessions.Individual }, tx, cancellationToken: ct)))
            .ToDictionary(p => p.PatientId, p => IndividualSessions.KeepsGroup(p.Modality)
                // A patient seen individually is on none of the group sessions: a frequency of zero leaves them all out.
                ? new FrequencyPlan(p.SessionsPerWeek ?? PlanAdjusted.MaxSessionsPerWeek, p.EffectiveFrom is { } d ? DateOnly.FromDateTime(d) : null)
                : new FrequencyPlan(0, null));
        if (plans.Count == 0) return new Dictionary<Guid, HashSet<Guid>>();
        var occurrences = (await conn.QueryAsync<OccurrenceRow>(new CommandDefinition("""
            select s.id as session_id, s.cohort_id, s.starts_at, s.time_zone from session s
            where s.clinic_id = @Clinic and s.cohort_id = @Cohort and s.series_id is not null and s.status = 'scheduled' and s.starts_at >= @From
            """, new { Clinic = clinicId, Cohort = cohortId, From = from - WeeklyParticipation.WeekLookBack }, tx, cancellationToken: ct)))
            .Select(r => r.ToOccurrence()).ToList();
        return plans.ToDictionary(p => p.Key, p =>
        {
            var chosen = WeeklyParticipation.Chosen(occurrences, p.Value.SessionsPerWeek);
            return occurrences.Where(o => WeeklyParticipation.Governs(p.Value, o, now) && !chosen.Contains(o.SessionId)).Select(o => o.SessionId).ToHashSet();
        });
    }

    sealed class OccurrenceRow
    {
        public Guid SessionId { get; set; }
        public Guid CohortId { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public bool OnRoster { get; set; }

        public CohortOccurrence ToOccurrence() => new(SessionId, CohortId, StartsAt, TimeZone);
    }
}
