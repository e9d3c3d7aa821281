using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Data;

/// <summary>A program's policy as set through the API; the nullable settings fall back to the service's defaults.</summary>
public sealed record ProgramPolicyChange(
    int WindowDays,
    decimal MinAttendancePercent,
    int MaxExcusedAbsences,
    int MaxUnexcusedAbsences,
    bool MakeupCancelsAbsence,
    int? LateAfterMinutes,
    int? PartialBelowPercent,
    int? NoticeHours,
    string[]? ExcusedReasons,
    DateTimeOffset? PhaseStartsAt);

public sealed class ProgramPolicies(NpgsqlDataSource db, Inbox inbox, Outbox outbox, IOptions<AttendanceOptions> options, PatientAudit audit)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>The program's policy, the default one when the program has none, or null for a program the clinic's schedule has not created (or not yet told of).</returns>
    public async Task<PolicySettings?> Find(Guid clinicId, Guid programId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var known = await conn.ExecuteScalarAsync<bool>(new CommandDefinition($"select {KnownPrograms.IsKnown}",
            new { Clinic = clinicId, Program = programId }, cancellationToken: ct));
        return known ? await Load(conn, null, clinicId, programId, ct) : null;
    }

    /// <summary>
    /// Sets the program's policy; every patient with a standing in the program is evaluated again under it. The
    /// thresholds and notice settings left null take the service's configured defaults.
    /// </summary>
    /// <returns>null, with nothing written, for a program the clinic's schedule has not created (or not yet told of).</returns>
    public async Task<PolicySettings?> Save(Guid clinicId, Guid programId, ProgramPolicyChange p, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new
        {
            Clinic = clinicId, Program = programId, p.WindowDays, p.MinAttendancePercent, p.MaxExcusedAbsences, p.MaxUnexcusedAbsences,
            p.MakeupCancelsAbsence, p.LateAfterMinutes, p.PartialBelowPercent, p.NoticeHours, p.ExcusedReasons, p.PhaseStartsAt, Now = now
        };
        var saved = await conn.QuerySingleOrDefaultAsync<ProgramPolicyRows.Row>(new CommandDefinition($"""
            insert into program_policy (clinic_id, program_id, window_days, min_attendance_percent, max_excused_absences,
                                        max_unexcused_absences, makeup_cancels_absence, late_after_minutes, partial_below_percent,
                                        notice_hours, excused_reasons, phase_starts_at, updated_at)
            select @Clinic, @Program, @WindowDays, @MinAttendancePercent, @MaxExcusedAbsences, @MaxUnexcusedAbsences, @MakeupCancelsAbsence,
                   @LateAfterMinutes, @PartialBelowPercent, @NoticeHours, @ExcusedReasons, @PhaseStartsAt, @Now
            where {KnownPrograms.IsKnown}
            on conflict (clinic_id, program_id) do update set
                window_days = excluded.window_days, min_attendance_percent = excluded.min_attendance_percent,
                max_excused_absences = excluded.max_excused_absences, max_unexcused_absences = excluded.max_unexcused_absences,
                makeup_cancels_absence = excluded.makeup_cancels_absence, late_after_minutes = excluded.late_after_minutes,
                partial_below_percent = excluded.partial_below_percent, notice_hours = excluded.notice_hours,
                excused_reasons = excluded.excused_reasons, phase_starts_at = excluded.phase_starts_at, updated_at = excluded.updated_at
            returning {ProgramPolicyRows.Columns}
            """, args, tx, cancellationToken: ct));
        if (saved is null) return null;
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into policy_reevaluation (clinic_id, program_id, patient_id, queued_at)
            select clinic_id, program_id, patient_id, @Now from policy_standing where clinic_id = @Clinic and program_id = @Program
            on conflict do nothing
            """, args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return ProgramPolicyRows.ToSettings(saved, options.Value);
    }

    /// <summary>Keeps a completed makeup (once per event) and queues the patient, whose absence may weigh no more.</summary>
    public Task<bool> RecordMakeupCompleted(MakeupCompleted done, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(done, inboxKey, async (conn, tx) =>
        {
            // A completion is a makeup's last report, so its version orders nothing here; two makeups completed for the same
            // absence keep the earlier one, whichever arrives first.
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into makeup_completion as m (clinic_id, missed_session_id, patient_id, makeup_id, completed_at)
                values (@ClinicId, @MissedSessionId, @PatientId, @MakeupId, @CompletedAt)
                on conflict (clinic_id, missed_session_id, patient_id) do update set makeup_id = excluded.makeup_id, completed_at = excluded.completed_at
                where (excluded.completed_at, excluded.makeup_id) < (m.completed_at, m.makeup_id)
                """, new { done.ClinicId, done.MissedSessionId, done.PatientId, done.MakeupId, done.CompletedAt }, tx, cancellationToken: ct));
            await PolicyQueue.Enqueue(conn, tx, done.ClinicId, done.MissedSessionId, done.PatientId, done.CompletedAt, ct);
        }, ct);

    /// <summary>
    /// Evaluates up to <paramref name="batchSize"/> queued patients (claimed FOR UPDATE SKIP LOCKED, so replicas share the
    /// queue), keeps each standing, and for every rule that got worse writes AttendanceWarning (at risk) or PolicyBreached
    /// (in breach) to the outbox, all in one transaction with the queue rows' removal.
    /// </summary>
    /// <remarks>
    /// First, up to <paramref name="batchSize"/> sessions the no-show sweep queued are expanded into their no-shows
    /// (one set-based statement, claimed FOR UPDATE SKIP LOCKED too), so the sweep itself only queues sessions.
    /// </remarks>
    /// <returns>How many patients were evaluated, or sessions expanded if more (the worker runs again at once when this fills the batch).</returns>
    public async Task<int> EvaluateQueued(DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var expanded = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            with claimed as (
                select clinic_id, session_id, program_id from policy_session_queue
                limit @BatchSize
                for update skip locked
            ),
            expanded as (
                insert into policy_reevaluation (clinic_id, program_id, patient_id, queued_at)
                select c.clinic_id, c.program_id, r.patient_id, @Now
                from claimed c
                join attendance_record r on r.clinic_id = c.clinic_id and r.session_id = c.session_id
                where r.outcome = 'noShow'
                on conflict do nothing
            ),
            done as (
                delete from policy_session_queue q using claimed c
                where q.clinic_id = c.clinic_id and q.session_id = c.session_id
                returning 1
            )
            select count(*)::int from done
            """, new { BatchSize = batchSize, Now = now }, tx, cancellationToken: ct));
        var queued = (await conn.QueryAsync<QueuedPatient>(new CommandDefinition("""
            select clinic_id, program_id, patient_id from policy_reevaluation
            order by queued_at
            limit @BatchSize
            for update skip locked
            """, new { BatchSize = batchSize }, tx, cancellationToken: ct))).ToList();
        foreach (var q in queued)
        {
            var policy = await Load(conn, tx, q.ClinicId, q.ProgramId, ct);
            var history = await History(conn, tx, q.ClinicId, q.ProgramId, q.PatientId, ct);
            var after = AttendancePolicy.Evaluate(policy, history, now);
            var beforeRules = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
                select rules::text from policy_standing where clinic_id = @ClinicId and program_id = @ProgramId and patient_id = @PatientId
                """, q, tx, cancellationToken: ct));
            var before = beforeRules is null ? null : new PolicyStanding(PolicyStatus.GoodStanding,
                JsonSerializer.Deserialize<List<RuleStanding>>(beforeRules, Json)!, 0);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into policy_standing (clinic_id, program_id, patient_id, status, rules, evaluated_at)
                values (@ClinicId, @ProgramId, @PatientId, @Status, @Rules::jsonb, @Now)
                on conflict (clinic_id, program_id, patient_id) do update set
                    status = excluded.status, rules = excluded.rules, evaluated_at = excluded.evaluated_at
                """,
                new { q.ClinicId, q.ProgramId, q.PatientId, Status = StatusName(after.Status), Rules = JsonSerializer.Serialize(after.Rules, Json), Now = now },
                tx, cancellationToken: ct));
            var events = AttendancePolicy.Worsened(before, after).Select(r => r.Status == PolicyStatus.InBreach
                ? (Contracts.IIntegrationEvent)new PolicyBreached(Guid.CreateVersion7(now), q.ClinicId, q.PatientId, q.ProgramId, r.Rule, r.Current, r.Limit, now)
                : new AttendanceWarning(Guid.CreateVersion7(now), q.ClinicId, q.PatientId, q.ProgramId, r.Rule, r.Current, r.Limit, now)).ToList();
            await outbox.AddRange(conn, tx, events, ct);
        }
        if (queued.Count > 0)
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                delete from policy_reevaluation q
                using unnest(@Clinics, @Programs, @Patients) as d(clinic_id, program_id, patient_id)
                where q.clinic_id = d.clinic_id and q.program_id = d.program_id and q.patient_id = d.patient_id
                """,
                new
                {
                    Clinics = queued.Select(q => q.ClinicId).ToArray(), Programs = queued.Select(q => q.ProgramId).ToArray(),
                    Patients = queued.Select(q => q.PatientId).ToArray()
                }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return Math.Max(queued.Count, expanded);
    }

    /// <summary>The patient's last evaluated standing in the program, or null before any evaluation.</summary>
    public async Task<(string Status, IReadOnlyList<RuleStanding> Rules, DateTimeOffset EvaluatedAt)?> Standing(Guid clinicId, Guid programId, Guid patientId,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<StandingRow>(new CommandDefinition("""
            select status, rules::text as rules, evaluated_at from policy_standing
            where clinic_id = @Clinic and program_id = @Program and patient_id = @Patient
            """, new { Clinic = clinicId, Program = programId, Patient = patientId }, cancellationToken: ct));
        if (row is not null) await audit.Read(conn, [patientId], ct);
        return row is null ? null : (row.Status, JsonSerializer.Deserialize<List<RuleStanding>>(row.Rules, Json)!, row.EvaluatedAt);
    }

    /// <summary>The patient's last evaluated standing in each program of the clinic, by program id.</summary>
    public async Task<IReadOnlyList<(Guid ProgramId, string Status, IReadOnlyList<RuleStanding> Rules, DateTimeOffset EvaluatedAt)>> Standings(
        Guid clinicId, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<StandingRow>(new CommandDefinition("""
            select program_id, status, rules::text as rules, evaluated_at from policy_standing
            where clinic_id = @Clinic and patient_id = @Patient
            order by program_id
            """, new { Clinic = clinicId, Patient = patientId }, cancellationToken: ct))).ToList();
        if (rows.Count > 0) await audit.Read(conn, [patientId], ct);
        return rows.Select(r => (r.ProgramId, r.Status, (IReadOnlyList<RuleStanding>)JsonSerializer.Deserialize<List<RuleStanding>>(r.Rules, Json)!, r.EvaluatedAt))
            .ToList();
    }

    /// <summary>The patient's standing now in every program they have sessions in (in this clinic), under each program's policy.</summary>
    public async Task<IReadOnlyList<(Guid ProgramId, PolicyStanding Standing)>> EvaluateNow(Guid clinicId, Guid patientId, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var programs = await conn.QueryAsync<Guid>(new CommandDefinition("""
            select distinct s.program_id from attendance_record r
            join attendance_session s on s.clinic_id = r.clinic_id and s.id = r.session_id
            where r.clinic_id = @Clinic and r.patient_id = @Patient and s.program_id is not null
            order by 1
            """, new { Clinic = clinicId, Patient = patientId }, cancellationToken: ct));
        var standings = new List<(Guid, PolicyStanding)>();
        foreach (var programId in programs)
        {
            var policy = await Load(conn, null, clinicId, programId, ct);
            standings.Add((programId, AttendancePolicy.Evaluate(policy, await History(conn, null, clinicId, programId, patientId, ct), now)));
        }
        return standings;
    }

    public static string StatusName(PolicyStatus status) => WireName.Of(status);

    /// <summary>
    /// Evaluates the patients' standing in the program from their whole history and keeps it, inside the caller's
    /// transaction, without AttendanceWarning or PolicyBreached: imported history is where the standing starts, not news
    /// for anyone to act on. Later changes announce only what gets worse from here.
    /// </summary>
    internal async Task KeepStandingsQuietly(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid programId, IReadOnlyList<Guid> patientIds,
        DateTimeOffset now, CancellationToken ct)
    {
        var policy = await Load(conn, tx, clinicId, programId, ct);
        var histories = (await conn.QueryAsync<HistoryRow>(new CommandDefinition($"""
            {HistorySelect}
            where r.clinic_id = @Clinic and s.program_id = @Program and r.patient_id = any(@Patients)
            """, new { Clinic = clinicId, Program = programId, Patients = patientIds.ToArray() }, tx, cancellationToken: ct)))
            .ToLookup(h => h.PatientId, h => h.ToOutcome());
        var standings = patientIds.Select(p => AttendancePolicy.Evaluate(policy, histories[p].ToList(), now)).ToList();
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into policy_standing (clinic_id, program_id, patient_id, status, rules, evaluated_at)
            select @Clinic, @Program, p.patient_id, p.status, p.rules::jsonb, @Now
            from unnest(@Patients::uuid[], @Statuses::text[], @Rules::text[]) as p(patient_id, status, rules)
            on conflict (clinic_id, program_id, patient_id) do update set
                status = excluded.status, rules = excluded.rules, evaluated_at = excluded.evaluated_at
            """,
            new
            {
                Clinic = clinicId, Program = programId, Now = now, Patients = patientIds.ToArray(),
                Statuses = standings.Select(s => StatusName(s.Status)).ToArray(), Rules = standings.Select(s => JsonSerializer.Serialize(s.Rules, Json)).ToArray()
            }, tx, cancellationToken: ct));
    }

    async Task<PolicySettings> Load(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid programId, CancellationToken ct) =>
        ProgramPolicyRows.ToSettings(await conn.QuerySingleOrDefaultAsync<ProgramPolicyRows.Row>(new CommandDefinition($"""
            select {ProgramPolicyRows.Columns} from program_policy where clinic_id = @Clinic and program_id = @Program
            """, new { Clinic = clinicId, Program = programId }, tx, cancellationToken: ct)), options.Value);

    static async Task<IReadOnlyList<SessionOutcome>> History(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid programId, Guid patientId,
        CancellationToken ct) =>
        (await conn.QueryAsync<HistoryRow>(new CommandDefinition($"""
            {HistorySelect}
            where r.clinic_id = @Clinic and s.program_id = @Program and r.patient_id = @Patient
            """, new { Clinic = clinicId, Program = programId, Patient = patientId }, tx, cancellationToken: ct)))
        .Select(h => h.ToOutcome()).ToList();

    /// <summary>A patient's sessions in a program as the policy weighs them: start, outcome, and whether a makeup replaced it.</summary>
    const string HistorySelect = """
        select r.patient_id, s.starts_at, r.outcome,
               exists (select 1 from makeup_completion m
                       where m.clinic_id = r.clinic_id and m.missed_session_id = r.session_id and m.patient_id = r.patient_id) as made_up
        from attendance_record r
        join attendance_session s on s.clinic_id = r.clinic_id and s.id = r.session_id
        """;

    sealed class QueuedPatient
    {
        public Guid ClinicId { get; set; }
        public Guid ProgramId { get; set; }
        public Guid PatientId { get; set; }
    }

    sealed class HistoryRow
    {
        public Guid PatientId { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public string Outcome { get; set; } = "";
        public bool MadeUp { get; set; }

        public SessionOutcome ToOutcome() => new(StartsAt, AttendanceOutcomes.Parse(Outcome), MadeUp);
    }

    sealed class StandingRow
    {
        public Guid ProgramId { get; set; }
        public string Status { get; set; } = "";
        public string Rules { get; set; } = "";
        public DateTimeOffset EvaluatedAt { get; set; }
    }
}
