using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public sealed record RiskView(Guid PatientId, RiskLevel Level, IReadOnlyList<RiskSignal> Signals, DateTimeOffset EvaluatedAt);

public sealed class EngagementRisks(
    NpgsqlDataSource db, Inbox inbox, Outbox outbox, FollowUpTasks tasks, ProgramPatternSettings settings, PatientReadAudit audit, TimeProvider clock)
{
    /// <summary>How many of a patient's latest sessions the rules see; far more than any window needs.</summary>
    const int HistoryLimit = 200;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) }
    };

    /// <summary>
    /// Records what an Attendance event says about a session and re-evaluates the patient (see <see cref="Reevaluate"/>),
    /// all in the inbox's transaction.
    /// </summary>
    public Task<bool> Record(IIntegrationEvent evt, string consumer, OutcomeReport report, CancellationToken ct) =>
        inbox.ProcessOnce(evt, consumer, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var previous = await LockRisk(conn, tx, report.ClinicId, report.PatientId, now, ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into attendance_outcome as o (clinic_id, patient_id, session_id, starts_at, time_zone, outcome, reason_category, precedence, updated_at)
                values (@Clinic, @Patient, @Session, coalesce(@StartsAt::timestamptz, @ReportedAt), @TimeZone, @Outcome, @Reason, @Precedence, @Now)
                on conflict (clinic_id, patient_id, session_id) do update set
                    starts_at = coalesce(@StartsAt::timestamptz, o.starts_at),
                    time_zone = coalesce(excluded.time_zone, o.time_zone),
                    outcome = excluded.outcome,
                    reason_category = case when @IsCorrection then excluded.reason_category else coalesce(excluded.reason_category, o.reason_category) end,
                    precedence = excluded.precedence,
                    updated_at = excluded.updated_at
                where excluded.precedence > o.precedence or @IsCorrection
                """,
                new
                {
                    Clinic = report.ClinicId,
                    Patient = report.PatientId,
                    Session = report.SessionId,
                    report.StartsAt,
                    report.ReportedAt,
                    report.TimeZone,
                    Outcome = Wire.Name(report.Outcome),
                    Reason = report.ReasonCategory,
                    report.Precedence,
                    report.IsCorrection,
                    Now = now
                }, tx, cancellationToken: ct));
            await Reevaluate(conn, tx, report.ClinicId, report.PatientId, previous, now, ct);
        }, ct);

    /// <summary>The patient's current risk, its row locked: two evaluations of one patient run one after the other.</summary>
    static async Task<RiskAssessment> LockRisk(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, DateTimeOffset now, CancellationToken ct)
    {
        var key = new { Clinic = clinic, Patient = patient, Now = now };
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into patient_risk (clinic_id, patient_id, level, signals, evaluated_at)
            values (@Clinic, @Patient, 'none', '[]', @Now)
            on conflict do nothing
            """, key, tx, cancellationToken: ct));
        var stored = await conn.QuerySingleAsync<RiskRow>(new CommandDefinition(
            "select patient_id, level, signals::text as signals, evaluated_at from patient_risk where clinic_id = @Clinic and patient_id = @Patient for update",
            key, tx, cancellationToken: ct));
        return new RiskAssessment(stored.Level, JsonSerializer.Deserialize<List<RiskSignal>>(stored.Signals, Json) ?? []);
    }

    /// <summary>
    /// Re-evaluates the patient's patterns (with the settings of the patient's program, or the defaults) against what
    /// the service knows now and stores the new risk with its signals (Domain: RiskReevaluation). When the level rose,
    /// EngagementRiskRaised goes out through the outbox; a lower level is stored without an event. Signals that are new
    /// open the follow-ups they call for. The caller holds the patient's risk row (<see cref="LockRisk"/>).
    /// </summary>
    async Task Reevaluate(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, RiskAssessment previous, DateTimeOffset now, CancellationToken ct)
    {
        var history = (await conn.QueryAsync<OutcomeRow>(new CommandDefinition("""
            select session_id, starts_at, time_zone, outcome, reason_category
            from attendance_outcome
            where clinic_id = @Clinic and patient_id = @Patient
            order by starts_at desc
            limit @Limit
            """, new { Clinic = clinic, Patient = patient, Limit = HistoryLimit }, tx, cancellationToken: ct)))
            .Select(r => new SessionOutcome(r.SessionId, r.StartsAt, r.TimeZone, r.Outcome, r.ReasonCategory)).ToList();

        // Homework of missed sessions not yet addressed (neither made up nor waived) feeds the homework rule.
        var homework = (await conn.QueryAsync<HomeworkRow>(new CommandDefinition("""
            select p.session_id, c.homework_due_on, i.done_at is not null as done
            from continuity_package p
            join continuity_item i on i.package_id = p.id and i.kind = 'homework'
            join session_content c on c.clinic_id = p.clinic_id and c.session_id = p.session_id
            where p.clinic_id = @Clinic and p.patient_id = @Patient and p.addressed_at is null and c.homework_due_on is not null
            """, new { Clinic = clinic, Patient = patient }, tx, cancellationToken: ct)))
            .Select(h => new HomeworkState(h.SessionId, DateOnly.FromDateTime(h.HomeworkDueOn), h.Done)).ToList();

        var patterns = await settings.ForPatient(conn, tx, clinic, patient, ct);
        var decision = RiskReevaluation.Decide(patterns, previous, history, homework, now);
        await conn.ExecuteAsync(new CommandDefinition("""
            update patient_risk set level = @Level, signals = @Signals::jsonb, evaluated_at = @Now
            where clinic_id = @Clinic and patient_id = @Patient
            """, new { Clinic = clinic, Patient = patient, Level = Wire.Name(decision.Assessment.Level), Signals = JsonSerializer.Serialize(decision.Assessment.Signals, Json), Now = now },
            tx, cancellationToken: ct));
        await tasks.OpenForRisk(conn, tx, clinic, patient, decision.NewFollowUps, ct);
        if (decision.Raised)
            await outbox.Add(conn, tx, new EngagementRiskRaised(Guid.CreateVersion7(), clinic, patient, Wire.Name(decision.Assessment.Level),
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
        await audit.Record(conn, clinic, [patientId], "risk", ct);
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

    sealed record HomeworkRow
    {
        public Guid SessionId { get; init; }
        public DateTime HomeworkDueOn { get; init; }
        public bool Done { get; init; }
    }

    sealed record RiskRow
    {
        public Guid PatientId { get; init; }
        public RiskLevel Level { get; init; }
        public string Signals { get; init; } = "[]";
        public DateTimeOffset EvaluatedAt { get; init; }
    }
}
