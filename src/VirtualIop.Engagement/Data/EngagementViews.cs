using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public sealed record CohortPatientView(Guid PatientId, RiskLevel RiskLevel, bool CatchUpRequired, int OpenFollowUps);

/// <summary>A cohort at a glance: how many patients at each risk level, who must catch up, and the follow-ups still open.</summary>
public sealed record CohortOverview(
    Guid CohortId,
    int PatientCount,
    IReadOnlyDictionary<string, int> RiskDistribution,
    int CatchUpRequiredCount,
    IReadOnlyList<CohortPatientView> Patients,
    IReadOnlyList<FollowUpTask> OpenFollowUps);

public sealed record WorkQueueItem(RiskLevel RiskLevel, FollowUpTask Task);

/// <summary>One page of a work queue and the cursor of the next, when there is more.</summary>
public sealed record WorkQueuePage(IReadOnlyList<WorkQueueItem> Items, string? NextCursor);

/// <summary>Whose work is in a clinician's queue: tasks assigned to someone, or the tasks of one clinician (see <see cref="EngagementViews.WorkQueue"/>).</summary>
public sealed record WorkQueueFilter(string? Assignee, Guid? ClinicianId);

/// <summary>The read models clinicians work from: the cohort overview and the work queue. Every patient shown is audited.</summary>
public sealed class EngagementViews(NpgsqlDataSource db, PatientAudit audit)
{
    const int MaxOpenFollowUps = 200;

    /// <summary>Risk levels ranked for ordering: high first.</summary>
    const string RiskRank = "case coalesce(k.level, 'none') when 'high' then 3 when 'moderate' then 2 when 'low' then 1 else 0 end";

    const string TaskColumns = "t.id, t.patient_id, t.session_id, t.kind, t.reason, t.status, t.assignee, t.created_at, t.due_by, t.updated_at, t.outcome_note, t.consent_id";

    /// <summary>A cohort's overview; null when the clinic's schedule has never named the cohort.</summary>
    public async Task<CohortOverview?> Cohort(ClinicContext clinic, Guid cohortId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinic.ClinicId, Cohort = cohortId, MaxOpenFollowUps };
        var patients = (await conn.QueryAsync<CohortPatientRow>(new CommandDefinition($"""
            select r.patient_id, coalesce(k.level, 'none') as risk_level,
                   exists (select 1 from continuity_package p where p.clinic_id = r.clinic_id and p.patient_id = r.patient_id and p.addressed_at is null) as catch_up_required,
                   (select count(*) from follow_up_task t where t.clinic_id = r.clinic_id and t.patient_id = r.patient_id and t.status in ('open', 'inProgress'))::int as open_follow_ups
            from patient_roster r
            left join patient_risk k on k.clinic_id = r.clinic_id and k.patient_id = r.patient_id
            where r.clinic_id = @Clinic and r.cohort_id = @Cohort
            order by {RiskRank} desc, r.patient_id
            """, args, cancellationToken: ct))).AsList();
        if (patients.Count == 0 && !await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from session_roster where clinic_id = @Clinic and cohort_id = @Cohort)", args, cancellationToken: ct)))
            return null;

        var openTasks = (await conn.QueryAsync<FollowUpTask>(new CommandDefinition($"""
            select {TaskColumns}
            from follow_up_task t
            join patient_roster r on r.clinic_id = t.clinic_id and r.patient_id = t.patient_id
            where t.clinic_id = @Clinic and r.cohort_id = @Cohort and t.status in ('open', 'inProgress')
            order by t.due_by, t.id
            limit @MaxOpenFollowUps
            """, args, cancellationToken: ct))).AsList();
        await audit.Read(conn, patients.Select(p => p.PatientId), ct);

        var distribution = Enum.GetValues<RiskLevel>().ToDictionary(WireName.Of, level => patients.Count(p => p.RiskLevel == level));
        return new CohortOverview(cohortId, patients.Count, distribution, patients.Count(p => p.CatchUpRequired),
            patients.Select(p => new CohortPatientView(p.PatientId, p.RiskLevel, p.CatchUpRequired, p.OpenFollowUps)).ToList(), openTasks);
    }

    /// <summary>
    /// Active tasks (open or in progress), highest patient risk first, then the earliest due. For a clinician: the tasks
    /// assigned to them (assignee = their id) and the unassigned tasks of the patients the roster gives them; for an
    /// assignee: the tasks assigned to that name; with neither, every active task of the clinic. Paged by keyset: the
    /// cursor names the last task shown (its due time and id), and the next page starts after that task's place in the
    /// order as it stands now (its patient's current risk), so no page repeats or skips a task whose place did not change.
    /// </summary>
    public async Task<WorkQueuePage> WorkQueue(ClinicContext clinic, WorkQueueFilter filter, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new
        {
            Clinic = clinic.ClinicId, filter.Assignee, Clinician = filter.ClinicianId, ClinicianText = filter.ClinicianId?.ToString(),
            AfterDueBy = page.AfterStartsAt, page.AfterId, page.Take
        };
        const string Where = """
            where t.clinic_id = @Clinic and t.status in ('open', 'inProgress')
              and (@Assignee::text is null or t.assignee = @Assignee)
              and (@Clinician::uuid is null
                   or t.assignee = @ClinicianText
                   or (t.assignee is null and exists (select 1 from patient_roster r
                                                      where r.clinic_id = t.clinic_id and r.patient_id = t.patient_id and r.clinician_id = @Clinician)))
            """;
        var fetched = (await conn.QueryAsync<FollowUpTask, RiskRow, WorkQueueItem>(new CommandDefinition($"""
            with after as (
                select {RiskRank} as rank
                from follow_up_task t
                left join patient_risk k on k.clinic_id = t.clinic_id and k.patient_id = t.patient_id
                where t.clinic_id = @Clinic and t.id = @AfterId
            )
            select {TaskColumns}, coalesce(k.level, 'none') as risk_level
            from follow_up_task t
            left join patient_risk k on k.clinic_id = t.clinic_id and k.patient_id = t.patient_id
            {Where}
              and (@AfterId::uuid is null
                   or {RiskRank} < (select rank from after)
                   or ({RiskRank} = (select rank from after) and (t.due_by, t.id) > (@AfterDueBy, @AfterId)))
            order by {RiskRank} desc, t.due_by, t.id
            limit @Take
            """, args, cancellationToken: ct), (task, risk) => new WorkQueueItem(risk.RiskLevel, task), splitOn: "risk_level")).AsList();
        var (items, nextCursor) = page.Cut(fetched, i => (i.Task.DueBy, i.Task.Id));
        await audit.Read(conn, items.Select(i => i.Task.PatientId), ct);
        return new WorkQueuePage(items, nextCursor);
    }

    sealed record CohortPatientRow
    {
        public Guid PatientId { get; init; }
        public RiskLevel RiskLevel { get; init; }
        public bool CatchUpRequired { get; init; }
        public int OpenFollowUps { get; init; }
    }

    sealed record RiskRow
    {
        public RiskLevel RiskLevel { get; init; }
    }
}
