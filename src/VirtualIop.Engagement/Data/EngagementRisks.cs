using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public sealed record RiskView(Guid PatientId, RiskLevel Level, IReadOnlyList<RiskSignal> Signals, DateTimeOffset EvaluatedAt);

public sealed class EngagementRisks(
    NpgsqlDataSource db, Inbox inbox, Outbox outbox, FollowUpTasks tasks, SafetyChecks safetyChecks, ProgramPatternSettings settings, PatientAudit audit,
    TimeProvider clock)
{
    /// <summary>How many of a patient's latest sessions the rules see; far more than any window needs.</summary>
    const int HistoryLimit = 200;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) }
    };

    /// <summary>
    /// Records what an Attendance event says about a session (Domain: OutcomeTimeline decides what holds, whatever the
    /// order of arrival) and re-evaluates the patient (see <see cref="Reevaluate"/>), all in the inbox's transaction.
    /// </summary>
    public Task<bool> Record(IIntegrationEvent evt, string inboxKey, OutcomeReport report, CancellationToken ct) =>
        inbox.ProcessOnce(evt, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            // The patient's risk row, locked first, orders every report about the patient's outcomes.
            var previous = await LockRisk(conn, tx, report.ClinicId, report.PatientId, now, ct);
            var copy = OutcomeTimeline.Apply(await Outcome(conn, tx, report.ClinicId, report.PatientId, report.SessionId, ct), report);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into attendance_outcome as o (clinic_id, patient_id, session_id, starts_at, starts_at_decided_at, time_zone, outcome,
                                                     reason_category, precedence, decided_at, notice_reason, notice_at, updated_at)
                values (@Clinic, @Patient, @Session, @StartsAt, @StartsAtDecidedAt, @TimeZone, @Outcome, @ReasonCategory, @Precedence,
                        @DecidedAt, @NoticeReason, @NoticeAt, @Now)
                on conflict (clinic_id, patient_id, session_id) do update set
                    starts_at = excluded.starts_at, starts_at_decided_at = excluded.starts_at_decided_at, time_zone = excluded.time_zone,
                    outcome = excluded.outcome, reason_category = excluded.reason_category, precedence = excluded.precedence,
                    decided_at = excluded.decided_at, notice_reason = excluded.notice_reason, notice_at = excluded.notice_at,
                    updated_at = excluded.updated_at
                """,
                new
                {
                    Clinic = report.ClinicId, Patient = report.PatientId, Session = report.SessionId, copy.StartsAt, copy.StartsAtDecidedAt,
                    copy.TimeZone, Outcome = WireName.Of(copy.Outcome), copy.ReasonCategory, copy.Precedence, copy.DecidedAt, copy.NoticeReason,
                    copy.NoticeAt, Now = now
                }, tx, cancellationToken: ct));
            await Reevaluate(conn, tx, report.ClinicId, report.PatientId, previous, now, ct);
        }, ct);

    /// <summary>The copy of a patient's outcome of a session; null when no Attendance report about it has arrived.</summary>
    public static async Task<OutcomeCopy?> Outcome(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, Guid session, CancellationToken ct) =>
        (await conn.QuerySingleOrDefaultAsync<OutcomeCopyRow>(new CommandDefinition(OutcomeSql,
            new { Clinic = clinic, Patient = patient, Session = session }, tx, cancellationToken: ct)))?.ToCopy();

    /// <summary>Reads the patient's outcome of a session as Engagement holds it (parameters @Clinic, @Patient, @Session), in a batch with other statements.</summary>
    public const string OutcomeSql = """
        select starts_at, starts_at_decided_at, time_zone, outcome, reason_category, precedence, decided_at, notice_reason, notice_at
        from attendance_outcome where clinic_id = @Clinic and patient_id = @Patient and session_id = @Session
        """;

    /// <summary>Reads the result of <see cref="OutcomeSql"/> from a batch.</summary>
    public static async Task<OutcomeCopy?> ReadOutcome(SqlMapper.GridReader batch) => (await batch.ReadSingleOrDefaultAsync<OutcomeCopyRow>())?.ToCopy();

    /// <summary>
    /// Re-evaluates the patients who have an outcome of a session, after a change to the session or its roster
    /// (cancelled, a patient removed or back) changed whether that outcome counts. The risk rows are taken in one order.
    /// </summary>
    public async Task ReevaluateSessionOutcomes(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid session, CancellationToken ct)
    {
        var patients = await conn.QueryAsync<Guid>(new CommandDefinition("""
            select patient_id from attendance_outcome where clinic_id = @Clinic and session_id = @Session order by patient_id
            """, new { Clinic = clinic, Session = session }, tx, cancellationToken: ct));
        var now = clock.GetUtcNow();
        foreach (var patient in patients)
        {
            var previous = await LockRisk(conn, tx, clinic, patient, now, ct);
            await Reevaluate(conn, tx, clinic, patient, previous, now, ct);
        }
    }

    /// <summary>
    /// Re-evaluates the patients whose homework crossed its overdue point (due date plus their program's
    /// HomeworkOverdueDays, or the default) since it was last looked at, so a patient is flagged between sessions and
    /// not only at the next Attendance event. Each homework item remembers the overdue point it was evaluated for:
    /// a crossing is evaluated once, and again only if the due date or the program's grace days move it. Items are
    /// claimed with SKIP LOCKED, and the patient's risk row serialises with the consumers and other replicas, so a rise
    /// is announced once.
    /// </summary>
    /// <returns>How many homework items the pass evaluated.</returns>
    public async Task<int> ReevaluateForOverdueHomework(DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The overdue point mirrors Domain EngagementPatterns.HomeworkOverdueFrom: the start (UTC) of the day after due date + grace days.
        var crossed = (await conn.QueryAsync<CrossingRow>(new CommandDefinition("""
            select i.package_id, p.clinic_id, p.patient_id, o.overdue_from
            from continuity_item i
            join continuity_package p on p.id = i.package_id
            join session_content c on c.clinic_id = p.clinic_id and c.session_id = p.session_id
            left join patient_roster r on r.clinic_id = p.clinic_id and r.patient_id = p.patient_id
            left join program_pattern_settings s on s.clinic_id = r.clinic_id and s.program_id = r.program_id
            cross join lateral (
                select (c.homework_due_on + coalesce(s.homework_overdue_days, @DefaultOverdueDays) + 1)::timestamp at time zone 'UTC' as overdue_from
            ) o
            where i.kind = 'homework' and i.done_at is null and p.addressed_at is null and c.homework_due_on is not null
              and o.overdue_from <= @Now and i.overdue_evaluated_for is distinct from o.overdue_from
            order by o.overdue_from
            limit @BatchSize
            for update of i skip locked
            """, new { Now = now, BatchSize = batchSize, DefaultOverdueDays = settings.Defaults.HomeworkOverdueDays }, tx, cancellationToken: ct))).AsList();
        if (crossed.Count == 0) return 0;

        // One order for every replica, so two passes that share patients take their risk rows without deadlocking.
        foreach (var (clinic, patient) in crossed.Select(c => (c.ClinicId, c.PatientId)).Distinct().Order())
        {
            var previous = await LockRisk(conn, tx, clinic, patient, now, ct);
            await Reevaluate(conn, tx, clinic, patient, previous, now, ct);
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            update continuity_item i set overdue_evaluated_for = e.overdue_from
            from unnest(@Packages, @OverdueFrom) as e(package_id, overdue_from)
            where i.package_id = e.package_id and i.kind = 'homework'
            """, new { Packages = crossed.Select(c => c.PackageId).ToArray(), OverdueFrom = crossed.Select(c => c.OverdueFrom).ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return crossed.Count;
    }

    /// <summary>The patient's current risk, its row locked: two evaluations of one patient run one after the other.</summary>
    static async Task<RiskAssessment> LockRisk(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, DateTimeOffset now, CancellationToken ct)
    {
        // One round trip; the select, a statement of its own, sees the row the insert made or found.
        await using var batch = await conn.QueryMultipleAsync(new CommandDefinition("""
            insert into patient_risk (clinic_id, patient_id, level, signals, evaluated_at)
            values (@Clinic, @Patient, 'none', '[]', @Now)
            on conflict do nothing;
            select patient_id, level, signals::text as signals, evaluated_at from patient_risk where clinic_id = @Clinic and patient_id = @Patient for update
            """, new { Clinic = clinic, Patient = patient, Now = now }, tx, cancellationToken: ct));
        var stored = await batch.ReadSingleAsync<RiskRow>();
        return new RiskAssessment(stored.Level, JsonSerializer.Deserialize<List<RiskSignal>>(stored.Signals, Json) ?? []);
    }

    /// <summary>
    /// Re-evaluates the patient's patterns (with the settings of the patient's program, or the defaults) against what
    /// the service knows now and stores the new risk with its signals (Domain: RiskReevaluation). When the level rose,
    /// EngagementRiskRaised goes out through the outbox; a lower level is stored without an event. Signals that are new
    /// open the follow-ups they call for, and a run of silent no-shows at high risk opens a safety check (<see cref="SafetyChecks.OpenForPattern"/>).
    /// The caller holds the patient's risk row (<see cref="LockRisk"/>).
    /// </summary>
    async Task Reevaluate(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, RiskAssessment previous, DateTimeOffset now, CancellationToken ct)
    {
        // The counted outcomes, newest first, and the homework of missed sessions not yet addressed (neither made up nor
        // waived), which feeds the homework rule: read in one round trip.
        List<SessionOutcome> history;
        List<HomeworkState> homework;
        await using (var batch = await conn.QueryMultipleAsync(new CommandDefinition($"""
            select o.session_id, o.starts_at, o.time_zone, o.outcome, o.reason_category
            from attendance_outcome o
            where o.clinic_id = @Clinic and o.patient_id = @Patient and {CountedOutcomes.Condition}
            order by o.starts_at desc
            limit @Limit;
            select p.session_id, c.homework_due_on, i.done_at is not null as done
            from continuity_package p
            join continuity_item i on i.package_id = p.id and i.kind = 'homework'
            join session_content c on c.clinic_id = p.clinic_id and c.session_id = p.session_id
            where p.clinic_id = @Clinic and p.patient_id = @Patient and p.addressed_at is null and c.homework_due_on is not null
            """, new { Clinic = clinic, Patient = patient, Limit = HistoryLimit }, tx, cancellationToken: ct)))
        {
            history = (await batch.ReadAsync<OutcomeRow>()).Select(r => new SessionOutcome(r.SessionId, r.StartsAt, r.TimeZone, r.Outcome, r.ReasonCategory)).ToList();
            homework = (await batch.ReadAsync<HomeworkRow>()).Select(h => new HomeworkState(h.SessionId, DateOnly.FromDateTime(h.HomeworkDueOn), h.Done)).ToList();
        }

        var patterns = await settings.ForPatient(conn, tx, clinic, patient, ct);
        var decision = RiskReevaluation.Decide(patterns, previous, history, homework, now);
        await conn.ExecuteAsync(new CommandDefinition("""
            update patient_risk set level = @Level, signals = @Signals::jsonb, evaluated_at = @Now
            where clinic_id = @Clinic and patient_id = @Patient
            """, new { Clinic = clinic, Patient = patient, Level = WireName.Of(decision.Assessment.Level), Signals = JsonSerializer.Serialize(decision.Assessment.Signals, Json), Now = now },
            tx, cancellationToken: ct));
        await tasks.OpenForRisk(conn, tx, clinic, patient, decision.NewFollowUps, ct);
        await safetyChecks.OpenForPattern(conn, tx, clinic, patient, previous.Level, history, ct);
        if (decision.Raised)
            await outbox.Add(conn, tx, new EngagementRiskRaised(Guid.CreateVersion7(), clinic, patient, WireName.Of(decision.Assessment.Level),
                decision.Assessment.Signals.Select(s => s.Rule).ToList(), now), ct);
    }

    public async Task<RiskView?> Find(ClinicContext clinic, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<RiskRow>(new CommandDefinition("""
            select patient_id, level, signals::text as signals, evaluated_at
            from patient_risk where clinic_id = @Clinic and patient_id = @Patient
            """, new { Clinic = clinic.ClinicId, Patient = patientId }, cancellationToken: ct));
        if (row is null) return null;
        await audit.Read(conn, [patientId], ct);
        return new RiskView(row.PatientId, row.Level, JsonSerializer.Deserialize<List<RiskSignal>>(row.Signals, Json) ?? [], row.EvaluatedAt);
    }

    sealed record OutcomeRow
    {
        public Guid SessionId { get; init; }
        public DateTimeOffset StartsAt { get; init; }
        public string? TimeZone { get; init; }
        public AttendanceOutcome Outcome { get; init; }
        public string? ReasonCategory { get; init; }
    }

    sealed record OutcomeCopyRow
    {
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset? StartsAtDecidedAt { get; init; }
        public string? TimeZone { get; init; }
        public AttendanceOutcome Outcome { get; init; }
        public string? ReasonCategory { get; init; }
        public int Precedence { get; init; }
        public DateTimeOffset DecidedAt { get; init; }
        public string? NoticeReason { get; init; }
        public DateTimeOffset? NoticeAt { get; init; }

        public OutcomeCopy ToCopy() => new(StartsAt, StartsAtDecidedAt, TimeZone, Outcome, ReasonCategory, Precedence, DecidedAt, NoticeReason, NoticeAt);
    }

    sealed record HomeworkRow
    {
        public Guid SessionId { get; init; }
        public DateTime HomeworkDueOn { get; init; }
        public bool Done { get; init; }
    }

    sealed record CrossingRow
    {
        public Guid PackageId { get; init; }
        public Guid ClinicId { get; init; }
        public Guid PatientId { get; init; }
        public DateTimeOffset OverdueFrom { get; init; }
    }

    sealed record RiskRow
    {
        public Guid PatientId { get; init; }
        public RiskLevel Level { get; init; }
        public string Signals { get; init; } = "[]";
        public DateTimeOffset EvaluatedAt { get; init; }
    }
}
