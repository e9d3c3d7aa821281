using Dapper;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;

namespace VirtualIop.Attendance.Data;

public sealed record NewCorrection(Guid SessionId, Guid PatientId, AttendanceOutcome Outcome, AbsenceReason? Reason, string? Notes, string Explanation);

public sealed record Correction(
    Guid Id,
    string PreviousOutcome,
    string? PreviousReasonCategory,
    string Outcome,
    string? ReasonCategory,
    string Explanation,
    string CorrectedBy,
    DateTimeOffset CorrectedAt);

public enum CorrectionStatus
{
    Corrected,
    SessionNotFound,
    NotParticipant,
    Unchanged
}

public sealed record CorrectionResult(CorrectionStatus Status, AttendanceRecord? Record = null);

public sealed class Corrections(NpgsqlDataSource db, Outbox outbox, TimeProvider clock, PatientAudit audit)
{
    /// <summary>
    /// Corrects a record: the previous decision goes into the append-only history, the record takes the new one,
    /// AttendanceCorrected goes to the outbox and the patient is queued for the policy, all in one transaction.
    /// </summary>
    public async Task<CorrectionResult> Correct(Guid clinicId, NewCorrection c, string correctedBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.UtcTicks % 10));
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { Clinic = clinicId, c.SessionId, c.PatientId };
        var sessionExists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from attendance_session where clinic_id = @Clinic and id = @SessionId)", args, tx, cancellationToken: ct));
        if (!sessionExists) return new CorrectionResult(CorrectionStatus.SessionNotFound);
        var row = await conn.QuerySingleOrDefaultAsync<AttendanceRecordRows.Row>(new CommandDefinition($"""
            select {AttendanceRecordRows.Columns} from attendance_record
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            for update
            """, args, tx, cancellationToken: ct));
        if (row is null) return new CorrectionResult(CorrectionStatus.NotParticipant);

        var before = row.ToRecord();
        var after = CorrectionRules.Correct(before, c.Outcome, c.Reason, c.Notes, now, correctedBy);
        if (after is null) return new CorrectionResult(CorrectionStatus.Unchanged, before);

        await conn.ExecuteAsync(new CommandDefinition("""
            insert into attendance_correction (clinic_id, id, session_id, patient_id, previous_outcome, previous_reason_category,
                                               outcome, reason_category, explanation, corrected_by, corrected_at)
            values (@Clinic, @Id, @SessionId, @PatientId, @PreviousOutcome, @PreviousReason, @Outcome, @Reason, @Explanation, @CorrectedBy, @Now)
            """,
            new
            {
                Clinic = clinicId, Id = Guid.CreateVersion7(now), c.SessionId, c.PatientId, PreviousOutcome = before.Outcome.Name(),
                PreviousReason = before.ReasonCategory?.Name(), Outcome = after.Outcome.Name(), Reason = after.ReasonCategory?.Name(),
                c.Explanation, CorrectedBy = correctedBy, Now = now
            }, tx, cancellationToken: ct));
        await AttendanceRecordRows.Save(conn, tx, clinicId, c.SessionId, after, ct);
        await PolicyQueue.Enqueue(conn, tx, clinicId, c.SessionId, c.PatientId, now, ct);
        await outbox.Add(conn, tx, new AttendanceCorrected(Guid.CreateVersion7(now), clinicId, c.SessionId, c.PatientId, before.Outcome.Name(),
            after.Outcome.Name(), after.ReasonCategory?.Name(), now), ct);
        await audit.Change(conn, tx, [c.PatientId], ct);
        await tx.CommitAsync(ct);
        return new CorrectionResult(CorrectionStatus.Corrected, after);
    }

    /// <returns>One page of the record's corrections, oldest first by keyset on (corrected at, id), and the next page's cursor; null when this clinic has no such record.</returns>
    public async Task<(IReadOnlyList<Correction> Corrections, string? NextCursor)?> History(Guid clinicId, Guid sessionId, Guid patientId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinicId, SessionId = sessionId, PatientId = patientId, page.AfterStartsAt, page.AfterId, page.Take };
        var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from attendance_record where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId)
            """, args, cancellationToken: ct));
        if (!exists) return null;
        await audit.Read(conn, [patientId], ct);
        var fetched = (await conn.QueryAsync<Correction>(new CommandDefinition("""
            select id as "Id", previous_outcome as "PreviousOutcome", previous_reason_category as "PreviousReasonCategory",
                   outcome as "Outcome", reason_category as "ReasonCategory", explanation as "Explanation",
                   corrected_by as "CorrectedBy", corrected_at as "CorrectedAt"
            from attendance_correction
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
              and (@AfterId::uuid is null or (corrected_at, id) > (@AfterStartsAt, @AfterId))
            order by corrected_at, id
            limit @Take
            """, args, cancellationToken: ct))).ToList();
        return page.Cut(fetched, c => (c.CorrectedAt, c.Id));
    }
}
