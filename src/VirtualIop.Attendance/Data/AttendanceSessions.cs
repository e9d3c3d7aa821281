using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Data;

public sealed class AttendanceSessions(NpgsqlDataSource db, Inbox inbox, Outbox outbox, TimeProvider clock, IOptions<AttendanceOptions> options)
{
    const string RecordScheduledConsumer = "record-scheduled-session";

    /// <summary>
    /// Stores the session and one pending record per patient. The inbox row and these inserts commit
    /// together, so a redelivered event (same EventId) changes nothing.
    /// </summary>
    /// <returns>false when this event had already been recorded.</returns>
    public Task<bool> RecordScheduled(SessionScheduled scheduled, CancellationToken ct) =>
        inbox.ProcessOnce(scheduled, RecordScheduledConsumer, async (conn, tx) =>
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into attendance_session (clinic_id, id, starts_at, ends_at, time_zone, no_show_due_at, recorded_at)
                values (@ClinicId, @SessionId, @StartsAt, @EndsAt, @TimeZone, @NoShowDueAt, @Now)
                on conflict do nothing
                """,
                new
                {
                    scheduled.ClinicId, scheduled.SessionId, scheduled.StartsAt, scheduled.EndsAt, scheduled.TimeZone,
                    NoShowDueAt = AttendanceRules.NoShowDueAt(scheduled.EndsAt, options.Value.NoShowGrace),
                    Now = clock.GetUtcNow()
                }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into attendance_record (clinic_id, session_id, patient_id, position)
                select @ClinicId, @SessionId, p.patient_id, min(p.position)
                from unnest(@PatientIds) with ordinality as p(patient_id, position)
                group by p.patient_id
                on conflict do nothing
                """, new { scheduled.ClinicId, scheduled.SessionId, PatientIds = scheduled.PatientIds.ToArray() }, tx, cancellationToken: ct));
        }, ct);

    /// <returns>null when this clinic has no such session (another clinic's session included).</returns>
    public async Task<SessionAttendance?> Find(Guid clinicId, Guid sessionId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinicId, SessionId = sessionId };
        var session = await conn.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition("""
            select id, starts_at, ends_at, time_zone from attendance_session
            where clinic_id = @Clinic and id = @SessionId
            """, args, cancellationToken: ct));
        if (session is null) return null;

        var records = await conn.QueryAsync<RecordRow>(new CommandDefinition("""
            select patient_id, outcome, checked_in_at, decided_at from attendance_record
            where clinic_id = @Clinic and session_id = @SessionId
            order by position
            """, args, cancellationToken: ct));
        return new SessionAttendance(session.Id, session.StartsAt, session.EndsAt, session.TimeZone,
            records.Select(r => r.ToRecord()).ToList());
    }

    /// <summary>
    /// Records a check-in: locks the patient's record, lets <see cref="AttendanceRules.CheckIn"/> decide, and when the
    /// patient became present, queues SessionAttended in the same transaction. A repeated check-in writes nothing.
    /// </summary>
    public async Task<CheckInResult> CheckIn(Guid clinicId, Guid sessionId, Guid patientId, CancellationToken ct)
    {
        var now = ToStoredPrecision(clock.GetUtcNow());
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { Clinic = clinicId, SessionId = sessionId, PatientId = patientId };
        var row = await conn.QuerySingleOrDefaultAsync<RecordRow>(new CommandDefinition("""
            select patient_id, outcome, checked_in_at, decided_at from attendance_record
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            for update
            """, args, tx, cancellationToken: ct));
        if (row is null)
        {
            var sessionExists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from attendance_session where clinic_id = @Clinic and id = @SessionId)",
                args, tx, cancellationToken: ct));
            return sessionExists ? CheckInResult.NotParticipant : CheckInResult.SessionNotFound;
        }

        var decision = AttendanceRules.CheckIn(row.ToRecord(), now);
        if (decision.Attended)
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                update attendance_record set outcome = @Outcome, checked_in_at = @CheckedInAt, decided_at = @DecidedAt
                where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
                """,
                new
                {
                    Clinic = clinicId, SessionId = sessionId, PatientId = patientId, Outcome = decision.Record.Outcome.Name(),
                    decision.Record.CheckedInAt, decision.Record.DecidedAt
                }, tx, cancellationToken: ct));
            await outbox.Add(conn, tx, new SessionAttended(Guid.CreateVersion7(now), clinicId, sessionId, patientId, now), ct);
        }
        await tx.CommitAsync(ct);
        return CheckInResult.Recorded(decision.Record);
    }

    /// <summary>timestamptz keeps microseconds; answering with the stored value keeps replies, reads and events equal.</summary>
    static DateTimeOffset ToStoredPrecision(DateTimeOffset instant) => instant.AddTicks(-(instant.UtcTicks % 10));

    sealed class SessionRow
    {
        public Guid Id { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
    }

    sealed class RecordRow
    {
        public Guid PatientId { get; set; }
        public string Outcome { get; set; } = "";
        public DateTimeOffset? CheckedInAt { get; set; }
        public DateTimeOffset? DecidedAt { get; set; }

        public AttendanceRecord ToRecord() => new(PatientId, AttendanceOutcomes.Parse(Outcome), CheckedInAt, DecidedAt);
    }
}

public enum CheckInStatus
{
    Recorded,
    SessionNotFound,
    NotParticipant
}

public sealed record CheckInResult(CheckInStatus Status, AttendanceRecord? Record)
{
    public static readonly CheckInResult SessionNotFound = new(CheckInStatus.SessionNotFound, null);
    public static readonly CheckInResult NotParticipant = new(CheckInStatus.NotParticipant, null);

    public static CheckInResult Recorded(AttendanceRecord record) => new(CheckInStatus.Recorded, record);
}
