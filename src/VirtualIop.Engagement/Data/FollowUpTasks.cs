using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public sealed record FollowUpTask
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public Guid? SessionId { get; init; }
    public FollowUpKind Kind { get; init; }
    public FollowUpReason Reason { get; init; }
    public FollowUpStatus Status { get; init; }
    public FollowUpPriority Priority { get; init; }
    public string? Assignee { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset DueBy { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? OutcomeNote { get; init; }

    /// <summary>The consent a family-involvement task relies on; null for every other kind.</summary>
    public Guid? ConsentId { get; init; }
}

/// <summary>A note on a task; Crisis when the clinician flagged it as a crisis, which opened a safety check for the patient.</summary>
public sealed record FollowUpNote(string Author, string Text, DateTimeOffset WrittenAt, bool Crisis = false);

public sealed record NewFollowUp(Guid PatientId, FollowUpKind Kind, Guid? SessionId, string? Assignee, DateTimeOffset? DueBy, string? Note);

public enum FollowUpChange
{
    Changed,
    NotFound,
    NotAllowed,
    OutcomeNoteRequired,
    PatientUnknown,
    AlreadyActive,
    NoValidConsent
}

public sealed class FollowUpTasks(NpgsqlDataSource db, Inbox inbox, Outbox outbox, FamilyInvolvement family, SafetyChecks safetyChecks, PatientAudit audit,
    TimeProvider clock)
{

    const string Columns = "id, patient_id, session_id, kind, reason, status, priority, assignee, created_at, due_by, updated_at, outcome_note, consent_id";

    /// <summary>
    /// Opens the outreach and writes FollowUpTaskCreated in the inbox's transaction: a redelivered event changes
    /// nothing, and a second event about the same miss finds the task already open (unique index) and announces nothing.
    /// A no-show of a session known cancelled, of a patient known taken off it, or already outranked by a correction or
    /// a check-in that arrived first opens nothing (Domain: MissEffects).
    /// </summary>
    public Task<bool> OpenForMiss(SessionMissed missed, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(missed, inboxKey, async (conn, tx) =>
        {
            if (!await MissContexts.Warranted(conn, tx, missed, ct)) return;
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(missed.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
            await Open(conn, tx, missed.ClinicId, missed.PatientId, missed.SessionId, FollowUpKind.MissedSessionOutreach, FollowUpReason.SessionMissed,
                null, FollowUpDueBy.ForMissedSession(missed.DetectedAt, zone), null, ct);
        }, ct);

    /// <summary>
    /// A clinician corrected the patient's outcome of a missed session. A correction that takes the miss back (Domain:
    /// AttendanceCorrected.UndoesMiss) cancels the outreach task the miss opened, still open or in progress, with the outcome
    /// note "corrected"; a task already closed stays as it was. The correction is kept (<see cref="MissCorrections"/>), so
    /// a no-show that arrives after it opens nothing while it stands.
    /// </summary>
    public Task<bool> CloseForCorrection(AttendanceCorrected corrected, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(corrected, inboxKey, async (conn, tx) =>
        {
            if (!await MissCorrections.Record(conn, tx, corrected, ct)) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                update follow_up_task set status = 'cancelled', outcome_note = @Outcome, updated_at = @Now
                where clinic_id = @Clinic and patient_id = @Patient and session_id = @Session
                  and kind = @Kind and reason = @Reason and status in ('open', 'inProgress')
                """, new
            {
                Clinic = corrected.ClinicId, Patient = corrected.PatientId, Session = corrected.SessionId, Outcome = MissEffects.CorrectedOutcome,
                Kind = WireName.Of(FollowUpKind.MissedSessionOutreach), Reason = WireName.Of(FollowUpReason.SessionMissed), Now = clock.GetUtcNow()
            }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>
    /// Opens the follow-ups a raised risk calls for, in the caller's transaction. A kind already active for the patient
    /// is not opened again (one active task per patient and kind), so repeated triggers do not pile up. Family
    /// involvement goes through the consent gate: without a valid consent covering it no task is opened, and the
    /// decision is recorded with its reason either way.
    /// </summary>
    public async Task OpenForRisk(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient,
        IReadOnlyList<(FollowUpKind Kind, RiskSignal Because)> suggestions, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dueBy = FollowUpDueBy.ForMissedSession(now, TimeZoneInfo.Utc);
        foreach (var (kind, because) in suggestions)
        {
            Guid? session = because.SessionIds.Count > 0 ? because.SessionIds[^1] : null;
            if (kind != FollowUpKind.FamilyInvolvement)
            {
                await Open(conn, tx, clinic, patient, session, kind, FollowUpReason.EngagementRisk, null, dueBy, null, ct);
                continue;
            }
            var gate = await family.Gate(conn, tx, clinic, patient, now, ct);
            var task = gate.Allowed ? await Open(conn, tx, clinic, patient, session, kind, FollowUpReason.EngagementRisk, null, dueBy, gate.ConsentId, ct) : null;
            if (!gate.Allowed || task is not null)
                await family.Record(conn, tx, clinic, patient, FamilyInvolvementTrigger.Pattern,
                    gate.Allowed ? FamilyInvolvementOutcome.TaskOpened : FamilyInvolvementOutcome.Withheld,
                    $"{because.Explanation} {gate.Reason}", gate.ConsentId, task?.Id, "engagementPatterns", now, ct);
        }
    }

    async Task<FollowUpTask?> Open(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, Guid? session, FollowUpKind kind,
        FollowUpReason reason, string? assignee, DateTimeOffset dueBy, Guid? consentId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var task = await conn.QuerySingleOrDefaultAsync<FollowUpTask>(new CommandDefinition($"""
            insert into follow_up_task (id, clinic_id, patient_id, session_id, kind, reason, status, assignee, created_at, due_by, updated_at, consent_id)
            values (@Id, @Clinic, @Patient, @Session, @Kind, @Reason, 'open', @Assignee, @Now, @DueBy, @Now, @Consent)
            on conflict do nothing
            returning {Columns}
            """,
            new
            {
                Id = Guid.CreateVersion7(), Clinic = clinic, Patient = patient, Session = session, Kind = WireName.Of(kind),
                Reason = WireName.Of(reason), Assignee = assignee, Now = now, DueBy = dueBy, Consent = consentId
            }, tx, cancellationToken: ct));
        if (task is null) return null;
        await outbox.Add(conn, tx, new FollowUpTaskCreated(Guid.CreateVersion7(), clinic, task.Id, patient, session ?? Guid.Empty,
            WireName.Of(reason), now, WireName.Of(kind), session), ct);
        return task;
    }

    /// <summary>
    /// A clinician opens a task for a patient this clinic knows (one Engagement has heard of through an event or a
    /// task); an active task of the same kind answers AlreadyActive with that task. A family-involvement task needs a
    /// valid consent covering it: without one nothing is opened, NoValidConsent answers with the reason, and the
    /// refusal is recorded in the patient's family-involvement log.
    /// </summary>
    public async Task<(FollowUpChange Change, FollowUpTask? Task, string? Reason)> Create(ClinicContext clinic, NewFollowUp request, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var known = await conn.ExecuteScalarAsync<bool>(new CommandDefinition($"select {KnownPatients.Condition}", new { Clinic = clinic.ClinicId, Patient = request.PatientId }, tx, cancellationToken: ct));
        if (!known) return (FollowUpChange.PatientUnknown, null, null);

        var now = clock.GetUtcNow();
        FamilyInvolvementGate? gate = null;
        if (request.Kind == FollowUpKind.FamilyInvolvement)
        {
            gate = await family.Gate(conn, tx, clinic.ClinicId, request.PatientId, now, ct);
            if (!gate.Allowed)
            {
                await family.Record(conn, tx, clinic.ClinicId, request.PatientId, FamilyInvolvementTrigger.Clinician, FamilyInvolvementOutcome.Withheld,
                    gate.Reason, null, null, clinic.ClientId, now, ct);
                await audit.Change(conn, tx, [request.PatientId], ct);
                await tx.CommitAsync(ct);
                return (FollowUpChange.NoValidConsent, null, gate.Reason);
            }
        }

        var dueBy = request.DueBy ?? FollowUpDueBy.ForMissedSession(now, TimeZoneInfo.Utc);
        var task = await Open(conn, tx, clinic.ClinicId, request.PatientId, request.SessionId, request.Kind, FollowUpReason.Clinician, request.Assignee, dueBy,
            gate?.ConsentId, ct);
        if (task is null)
        {
            var active = await conn.QuerySingleAsync<FollowUpTask>(new CommandDefinition($"""
                select {Columns} from follow_up_task
                where clinic_id = @Clinic and patient_id = @Patient and kind = @Kind and status in ('open', 'inProgress')
                """, new { Clinic = clinic.ClinicId, Patient = request.PatientId, Kind = WireName.Of(request.Kind) }, tx, cancellationToken: ct));
            return (FollowUpChange.AlreadyActive, active, null);
        }
        if (gate is not null)
            await family.Record(conn, tx, clinic.ClinicId, request.PatientId, FamilyInvolvementTrigger.Clinician, FamilyInvolvementOutcome.TaskOpened,
                gate.Reason, gate.ConsentId, task.Id, clinic.ClientId, now, ct);
        if (request.Note is { } note) await AddNote(conn, tx, clinic, task.Id, note, crisis: false, ct);
        await audit.Change(conn, tx, [task.PatientId], ct);
        await tx.CommitAsync(ct);
        return (FollowUpChange.Changed, task, null);
    }

    public Task<(FollowUpChange Change, FollowUpTask? Task)> Assign(ClinicContext clinic, Guid id, string assignee, CancellationToken ct) =>
        Change(clinic, id, async (conn, tx, task) =>
        {
            if (!FollowUpStateMachine.IsActive(task.Status)) return FollowUpChange.NotAllowed;
            await conn.ExecuteAsync(new CommandDefinition(
                "update follow_up_task set assignee = @Assignee, updated_at = @Now where clinic_id = @Clinic and id = @Id",
                new { Assignee = assignee, Now = clock.GetUtcNow(), Clinic = clinic.ClinicId, Id = id }, tx, cancellationToken: ct));
            return FollowUpChange.Changed;
        }, ct);

    /// <summary>Moves a task along its life cycle (Domain: FollowUpStateMachine); a closing outcome note is also kept as a note.</summary>
    public Task<(FollowUpChange Change, FollowUpTask? Task)> Move(ClinicContext clinic, Guid id, FollowUpStatus to, string? outcomeNote, CancellationToken ct) =>
        Change(clinic, id, async (conn, tx, task) =>
        {
            switch (FollowUpStateMachine.Check(task.Status, to, outcomeNote))
            {
                case TransitionVerdict.NotAllowed: return FollowUpChange.NotAllowed;
                case TransitionVerdict.OutcomeNoteRequired: return FollowUpChange.OutcomeNoteRequired;
            }
            var closing = !FollowUpStateMachine.IsActive(to);
            await conn.ExecuteAsync(new CommandDefinition("""
                update follow_up_task set status = @Status, outcome_note = case when @Closing then @Note else outcome_note end, updated_at = @Now
                where clinic_id = @Clinic and id = @Id
                """, new { Status = WireName.Of(to), Closing = closing, Note = outcomeNote, Now = clock.GetUtcNow(), Clinic = clinic.ClinicId, Id = id },
                tx, cancellationToken: ct));
            if (!string.IsNullOrWhiteSpace(outcomeNote)) await AddNote(conn, tx, clinic, id, outcomeNote, crisis: false, ct);
            return FollowUpChange.Changed;
        }, ct);

    /// <summary>Appends a note; one flagged as a crisis also opens an urgent safety check for the patient (Data: SafetyChecks) in the same transaction.</summary>
    public Task<(FollowUpChange Change, FollowUpTask? Task)> Note(ClinicContext clinic, Guid id, string text, bool crisis, CancellationToken ct) =>
        Change(clinic, id, async (conn, tx, task) =>
        {
            await AddNote(conn, tx, clinic, id, text, crisis, ct);
            if (crisis) await safetyChecks.Open(conn, tx, clinic.ClinicId, task.PatientId, task.SessionId, SafetyCheckRules.CrisisNote, ct);
            return FollowUpChange.Changed;
        }, ct);

    async Task<(FollowUpChange, FollowUpTask?)> Change(ClinicContext clinic, Guid id,
        Func<NpgsqlConnection, NpgsqlTransaction, FollowUpTask, Task<FollowUpChange>> change, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var task = await conn.QuerySingleOrDefaultAsync<FollowUpTask>(new CommandDefinition(
            $"select {Columns} from follow_up_task where clinic_id = @Clinic and id = @Id for update",
            new { Clinic = clinic.ClinicId, Id = id }, tx, cancellationToken: ct));
        if (task is null) return (FollowUpChange.NotFound, null);
        var outcome = await change(conn, tx, task);
        if (outcome != FollowUpChange.Changed) return (outcome, task);
        var changed = await conn.QuerySingleAsync<FollowUpTask>(new CommandDefinition(
            $"select {Columns} from follow_up_task where clinic_id = @Clinic and id = @Id",
            new { Clinic = clinic.ClinicId, Id = id }, tx, cancellationToken: ct));
        if (SafetyCheckRules.Acknowledges(task.Kind, task.Status, task.Assignee, changed.Status, changed.Assignee))
            await outbox.Add(conn, tx, new SafetyCheckAcknowledged(Guid.CreateVersion7(), clinic.ClinicId, id, changed.PatientId,
                WireName.Of(changed.Status), changed.UpdatedAt), ct);
        await audit.Change(conn, tx, [changed.PatientId], ct);
        await tx.CommitAsync(ct);
        return (FollowUpChange.Changed, changed);
    }

    Task AddNote(NpgsqlConnection conn, NpgsqlTransaction tx, ClinicContext clinic, Guid taskId, string text, bool crisis, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into follow_up_note (clinic_id, task_id, note_id, author, text, written_at, crisis) values (@Clinic, @Task, @Note, @Author, @Text, @Now, @Crisis)
            """, new { Clinic = clinic.ClinicId, Task = taskId, Note = Guid.CreateVersion7(clock.GetUtcNow()), Author = clinic.ClientId, Text = text, Now = clock.GetUtcNow(), Crisis = crisis },
            tx, cancellationToken: ct));

    /// <summary>One page, by keyset on (written at, note id), of a task's notes oldest first, and the cursor of the next page.</summary>
    /// <returns>null when the clinic has no such task.</returns>
    public async Task<(IReadOnlyList<FollowUpNote> Notes, string? NextCursor)?> Notes(ClinicContext clinic, Guid id, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var patient = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "select patient_id from follow_up_task where clinic_id = @Clinic and id = @Id", new { Clinic = clinic.ClinicId, Id = id }, cancellationToken: ct));
        if (patient is null) return null;
        var rows = (await conn.QueryAsync<NoteRow>(new CommandDefinition("""
            select note_id, author, text, written_at, crisis from follow_up_note
            where clinic_id = @Clinic and task_id = @Id
              and (@AfterStartsAt::timestamptz is null or (written_at, note_id) > (@AfterStartsAt, @AfterId))
            order by written_at, note_id
            limit @Take
            """, new { Clinic = clinic.ClinicId, Id = id, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct))).AsList();
        var (kept, next) = page.Cut(rows, r => (r.WrittenAt, r.NoteId));
        await audit.Read(conn, [patient.Value], ct);
        return (kept.Select(r => new FollowUpNote(r.Author, r.Text, r.WrittenAt, r.Crisis)).ToList(), next);
    }

    sealed record NoteRow(Guid NoteId, string Author, string Text, DateTimeOffset WrittenAt, bool Crisis);

    public async Task<FollowUpTask?> Find(ClinicContext clinic, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var task = await conn.QuerySingleOrDefaultAsync<FollowUpTask>(new CommandDefinition($"""
            select {Columns}
            from follow_up_task
            where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinic.ClinicId, Id = id }, cancellationToken: ct));
        if (task is not null) await audit.Read(conn, [task.PatientId], ct);
        return task;
    }

    /// <summary>One page, by keyset on (due by, id), of the clinic's tasks that match the filters, and the cursor of the next page.</summary>
    public async Task<(IReadOnlyList<FollowUpTask> Tasks, string? NextCursor)> List(ClinicContext clinic, Guid? patientId, FollowUpStatus? status,
        FollowUpKind? kind, string? assignee, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<FollowUpTask>(new CommandDefinition($"""
            select {Columns}
            from follow_up_task
            where clinic_id = @Clinic
              and (@PatientId::uuid is null or patient_id = @PatientId)
              and (@Status::text is null or status = @Status)
              and (@Kind::text is null or kind = @Kind)
              and (@Assignee::text is null or assignee = @Assignee)
              and (@AfterId::uuid is null or (due_by, id) > (@AfterDueBy, @AfterId))
            order by due_by, id
            limit @Take
            """,
            new
            {
                Clinic = clinic.ClinicId,
                PatientId = patientId,
                Status = status is { } s ? WireName.Of(s) : null,
                Kind = kind is { } k ? WireName.Of(k) : null,
                Assignee = assignee,
                AfterDueBy = page.AfterStartsAt,
                page.AfterId,
                page.Take
            }, cancellationToken: ct));
        var (tasks, nextCursor) = page.Cut(rows.AsList(), t => (t.DueBy, t.Id));
        await audit.Read(conn, tasks.Select(t => t.PatientId), ct);
        return (tasks, nextCursor);
    }
}
