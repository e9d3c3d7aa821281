using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public sealed record FamilyInvolvementDecisionView(Guid Id, Guid PatientId, FamilyInvolvementTrigger Trigger, FamilyInvolvementOutcome Outcome,
    string Reason, Guid? ConsentId, Guid? TaskId, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>
/// The consent gate for family or support involvement and its append-only record of decisions: every task opened,
/// withheld for want of a valid consent, or cancelled because its consent was revoked, with the reason.
/// </summary>
public sealed class FamilyInvolvement(NpgsqlDataSource db, PatientAudit audit)
{
    /// <summary>
    /// Decides from the patient's consents, read FOR SHARE in the caller's transaction: a revocation (which locks the
    /// consent FOR UPDATE) waits for the task to be opened and then cancels it, so a task never outlives its consent.
    /// </summary>
    public async Task<FamilyInvolvementGate> Gate(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, DateTimeOffset now, CancellationToken ct)
    {
        var consents = await conn.QueryAsync<ConsentFactsRow>(new CommandDefinition("""
            select id, scope, expires_at, revoked_at from consent where clinic_id = @Clinic and patient_id = @Patient for share
            """, new { Clinic = clinic, Patient = patient }, tx, cancellationToken: ct));
        return FamilyInvolvementRules.Decide(consents.Select(c => new ConsentFacts(c.Id, c.Scope, c.ExpiresAt, c.RevokedAt)).ToList(), now);
    }

    public Task Record(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, FamilyInvolvementTrigger trigger,
        FamilyInvolvementOutcome outcome, string reason, Guid? consentId, Guid? taskId, string decidedBy, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into family_involvement_decision (id, clinic_id, patient_id, trigger, outcome, reason, consent_id, task_id, decided_by, decided_at)
            values (@Id, @Clinic, @Patient, @Trigger, @Outcome, @Reason, @Consent, @Task, @By, @Now)
            """,
            new
            {
                Id = Guid.CreateVersion7(), Clinic = clinic, Patient = patient, Trigger = WireName.Of(trigger), Outcome = WireName.Of(outcome), Reason = reason,
                Consent = consentId, Task = taskId, By = decidedBy, Now = now
            }, tx, cancellationToken: ct));

    /// <summary>A revoked consent cancels every active family task that relied on it, each cancellation recorded with its reason.</summary>
    public Task<int> CancelForRevokedConsent(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid consentId, string revokedBy, DateTimeOffset now,
        CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            with cancelled as (
                update follow_up_task set status = 'cancelled', outcome_note = @Reason, updated_at = @Now
                where clinic_id = @Clinic and consent_id = @Consent and status in ('open', 'inProgress')
                returning id, patient_id
            )
            insert into family_involvement_decision (id, clinic_id, patient_id, trigger, outcome, reason, consent_id, task_id, decided_by, decided_at)
            select gen_random_uuid(), @Clinic, c.patient_id, 'consentRevoked', 'taskCancelled', @Reason, @Consent, c.id, @By, @Now
            from cancelled c
            """,
            new { Clinic = clinic, Consent = consentId, By = revokedBy, Now = now, Reason = $"Cancelled: consent {consentId} that the task relied on was revoked." },
            tx, cancellationToken: ct));

    /// <summary>
    /// Consents that ran out end the active family tasks that relied on them, in every clinic, in one statement; each
    /// cancellation is recorded. Replicas may run it together: a task another pass already cancelled is no longer active.
    /// </summary>
    public async Task<int> CancelForExpiredConsents(DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            with due as (
                select t.id
                from follow_up_task t
                join consent c on c.clinic_id = t.clinic_id and c.id = t.consent_id
                where t.consent_id is not null and t.status in ('open', 'inProgress') and c.expires_at <= @Now
                limit @BatchSize
                for update of t skip locked
            ), cancelled as (
                update follow_up_task t set status = 'cancelled', outcome_note = @Reason, updated_at = @Now
                from due where t.id = due.id
                returning t.id, t.clinic_id, t.patient_id, t.consent_id
            )
            insert into family_involvement_decision (id, clinic_id, patient_id, trigger, outcome, reason, consent_id, task_id, decided_by, decided_at)
            select gen_random_uuid(), c.clinic_id, c.patient_id, 'consentExpired', 'taskCancelled', @Reason, c.consent_id, c.id, 'system', @Now
            from cancelled c
            """,
            new { Now = now, BatchSize = batchSize, Reason = "Cancelled: the consent the task relied on expired." }, cancellationToken: ct));
    }

    /// <summary>One page of a patient's decisions, oldest first (keyset on decided at, id), and the cursor of the next.</summary>
    public async Task<(IReadOnlyList<FamilyInvolvementDecisionView> Decisions, string? NextCursor)> ForPatient(ClinicContext clinic, Guid patientId,
        PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<DecisionRow>(new CommandDefinition("""
            select id, patient_id, trigger, outcome, reason, consent_id, task_id, decided_by, decided_at
            from family_involvement_decision
            where clinic_id = @Clinic and patient_id = @Patient and (@AfterId::uuid is null or (decided_at, id) > (@AfterStartsAt, @AfterId))
            order by decided_at, id
            limit @Take
            """, new { Clinic = clinic.ClinicId, Patient = patientId, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct));
        var (decisions, nextCursor) = page.Cut(
            rows.Select(r => new FamilyInvolvementDecisionView(r.Id, r.PatientId, r.Trigger, r.Outcome, r.Reason, r.ConsentId, r.TaskId, r.DecidedBy, r.DecidedAt)).ToList(),
            d => (d.DecidedAt, d.Id));
        await audit.Read(conn, [patientId], ct);
        return (decisions, nextCursor);
    }

    sealed record DecisionRow
    {
        public Guid Id { get; init; }
        public Guid PatientId { get; init; }
        public FamilyInvolvementTrigger Trigger { get; init; }
        public FamilyInvolvementOutcome Outcome { get; init; }
        public string Reason { get; init; } = "";
        public Guid? ConsentId { get; init; }
        public Guid? TaskId { get; init; }
        public string DecidedBy { get; init; } = "";
        public DateTimeOffset DecidedAt { get; init; }
    }

    sealed record ConsentFactsRow
    {
        public Guid Id { get; init; }
        public ConsentScope Scope { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
    }
}
