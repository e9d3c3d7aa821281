using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;

namespace VirtualIop.Attendance.Data;

public sealed class AttendanceSessions(NpgsqlDataSource db, Outbox outbox, TimeProvider clock, IOptions<AttendanceOptions> options, PatientAudit audit)
{
    /// <returns>null when this clinic has no such session (another clinic's session included).</returns>
    public async Task<SessionAttendance?> Find(Guid clinicId, Guid sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinicId, SessionId = sessionId };
        var session = await conn.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition("""
            select id, starts_at, ends_at, time_zone, clinician_id from attendance_session
            where clinic_id = @Clinic and id = @SessionId
            """, args, cancellationToken: ct));
        if (session is null) return null;

        var records = await conn.QueryAsync<AttendanceRecordRows.Row>(new CommandDefinition($"""
            select {AttendanceRecordRows.Columns} from attendance_record
            where clinic_id = @Clinic and session_id = @SessionId
            order by position
            """, args, cancellationToken: ct));
        var intervals = (await conn.QueryAsync<IntervalRow>(new CommandDefinition("""
            select participant_id, participant_kind, joined_at, left_at from presence_interval
            where clinic_id = @Clinic and session_id = @SessionId
            order by joined_at
            """, args, cancellationToken: ct))).ToList();

        var window = session.Window;
        var patients = records.Select(r => new PatientAttendance(r.ToRecord(), r.ImportedMinutes ?? PresenceRules.MinutesAttended(window,
            intervals.Where(i => i.ParticipantKind == "patient" && i.ParticipantId == r.PatientId).Select(i => i.ToInterval()), now))).ToList();
        var staff = intervals.Where(i => i.ParticipantKind == "staff").GroupBy(i => i.ParticipantId).Select(g =>
        {
            var stretches = g.Select(i => i.ToInterval()).ToList();
            return new StaffPresence(g.Key, g.Key == session.ClinicianId, stretches.Min(i => i.JoinedAt),
                stretches.Any(i => i.IsOpen) ? null : stretches.Max(i => i.LeftAt), PresenceRules.MinutesAttended(window, stretches, now));
        }).ToList();
        await audit.Read(conn, records.Select(r => r.PatientId), ct);
        return new SessionAttendance(session.Id, session.StartsAt, session.EndsAt, session.TimeZone, patients, staff);
    }

    /// <summary>
    /// Records a patient's join or leave: locks the patient's record, keeps the mark, lets <see cref="AttendanceRules.Mark"/>
    /// pair all their marks and decide, stores the stretches and the record when they changed, and when the patient came
    /// to attend, queues SessionAttended in the same transaction. A mark taken in before writes nothing.
    /// </summary>
    public async Task<PresenceResult> RecordPatientPresence(Guid clinicId, Guid sessionId, Guid patientId, PresenceChange change,
        string recordedBy, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await RecordPatientPresence(conn, tx, clinicId, sessionId, patientId, change, ToStoredPrecision(clock.GetUtcNow()), recordedBy, ct);
        if (result.Status != PresenceStatus.NotParticipant) await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// As <see cref="RecordPatientPresence(Guid, Guid, Guid, PresenceChange, string, CancellationToken)"/>, inside the caller's
    /// transaction, for a join or leave that happened <paramref name="at"/> (the telehealth platform says when, and its
    /// webhooks come in any order). Writes nothing unless the result is Recorded or Held (the session is not known yet).
    /// </summary>
    internal async Task<PresenceResult> RecordPatientPresence(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId,
        Guid patientId, PresenceChange change, DateTimeOffset at, string recordedBy, CancellationToken ct)
    {
        var args = new { Clinic = clinicId, SessionId = sessionId, PatientId = patientId };
        var find = new CommandDefinition("""
            select s.id, s.starts_at, s.ends_at, s.time_zone, s.clinician_id, p.late_after_minutes, p.partial_below_percent
            from attendance_session s
            left join program_policy p on p.clinic_id = s.clinic_id and p.program_id = s.program_id
            where s.clinic_id = @Clinic and s.id = @SessionId
            """, args, tx, cancellationToken: ct);
        var session = await conn.QuerySingleOrDefaultAsync<SessionRow>(find);
        if (session is null)
        {
            // Under the session's lock, a SessionScheduled either committed before (and is seen now) or applies this mark after.
            await SessionLock.Take(conn, tx, clinicId, sessionId, ct);
            session = await conn.QuerySingleOrDefaultAsync<SessionRow>(find);
            if (session is null)
            {
                await PendingPresence.Hold(conn, tx, clinicId, sessionId, patientId, "patient", new PresenceMark(change, at), recordedBy, clock.GetUtcNow(), ct);
                return PresenceResult.Held;
            }
        }
        var thresholds = ProgramPolicyRows.Presence(session.LateAfterMinutes, session.PartialBelowPercent, options.Value);
        var row = await conn.QuerySingleOrDefaultAsync<AttendanceRecordRows.Row>(new CommandDefinition($"""
            select {AttendanceRecordRows.Columns} from attendance_record
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            for update
            """, args, tx, cancellationToken: ct));
        if (row is null) return PresenceResult.NotParticipant;

        var mark = new PresenceMark(change, at);
        var decision = AttendanceRules.Mark(row.ToRecord(), session.Window, await Marks(conn, tx, clinicId, sessionId, patientId, "patient", ct), mark,
            thresholds, recordedBy);
        if (decision.Kept) await KeepMark(conn, tx, clinicId, sessionId, patientId, "patient", mark, recordedBy, ct);
        if (decision.Changed)
        {
            await ReplaceIntervals(conn, tx, clinicId, sessionId, patientId, "patient", decision.Intervals, ct);
            await AttendanceRecordRows.Save(conn, tx, clinicId, sessionId, decision.Record, ct);
            await PolicyQueue.Enqueue(conn, tx, clinicId, sessionId, patientId, at, ct);
        }
        if (decision.Attended)
        {
            await outbox.Add(conn, tx, new SessionAttended(Guid.CreateVersion7(at), clinicId, sessionId, patientId, decision.Record.CheckedInAt!.Value), ct);
        }
        var minutesNow = Max(at, ToStoredPrecision(clock.GetUtcNow()));
        return PresenceResult.Recorded(decision.Record, PresenceRules.MinutesAttended(session.Window, decision.Intervals, minutesNow));
    }

    /// <summary>
    /// Records a staff member's join or leave (the facilitator or a stand-in). Staff are never patients of the session:
    /// they have no attendance record, so the sweep never makes them no-shows.
    /// </summary>
    public async Task<StaffPresenceResult> RecordStaffPresence(Guid clinicId, Guid sessionId, Guid staffId, PresenceChange change,
        string recordedBy, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var now = ToStoredPrecision(clock.GetUtcNow());
        var result = await RecordStaffPresence(conn, tx, clinicId, sessionId, staffId, change, now, recordedBy, now, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// As the public overload, inside the caller's transaction, at <paramref name="at"/> (taken in <paramref name="now"/>);
    /// writes nothing unless Recorded or Held.
    /// </summary>
    internal static async Task<StaffPresenceResult> RecordStaffPresence(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId,
        Guid staffId, PresenceChange change, DateTimeOffset at, string recordedBy, DateTimeOffset now, CancellationToken ct)
    {
        var args = new { Clinic = clinicId, SessionId = sessionId, StaffId = staffId };
        var find = new CommandDefinition("""
            select exists (select 1 from attendance_record r where r.clinic_id = s.clinic_id and r.session_id = s.id and r.patient_id = @StaffId)
            from attendance_session s where s.clinic_id = @Clinic and s.id = @SessionId
            for update
            """, args, tx, cancellationToken: ct);
        var isPatient = await conn.ExecuteScalarAsync<bool?>(find);
        if (isPatient is null)
        {
            await SessionLock.Take(conn, tx, clinicId, sessionId, ct);
            isPatient = await conn.ExecuteScalarAsync<bool?>(find);
            if (isPatient is null)
            {
                await PendingPresence.Hold(conn, tx, clinicId, sessionId, staffId, "staff", new PresenceMark(change, at), recordedBy, now, ct);
                return StaffPresenceResult.Held;
            }
        }
        if (isPatient.Value) return StaffPresenceResult.IsPatient;
        var marks = await Marks(conn, tx, clinicId, sessionId, staffId, "staff", ct);
        var mark = new PresenceMark(change, at);
        if (marks.Contains(mark)) return StaffPresenceResult.Recorded;
        await KeepMark(conn, tx, clinicId, sessionId, staffId, "staff", mark, recordedBy, ct);
        await ReplaceIntervals(conn, tx, clinicId, sessionId, staffId, "staff", PresenceRules.Pair([.. marks, mark]), ct);
        return StaffPresenceResult.Recorded;
    }

    /// <summary>Staff document a patient's absence with its reason (see <see cref="AttendanceRules.RecordAbsence"/>).</summary>
    public async Task<AbsenceResult> RecordAbsence(Guid clinicId, Guid sessionId, Guid patientId, AttendanceOutcome outcome, AbsenceReason reason,
        string? notes, string recordedBy, CancellationToken ct)
    {
        var now = ToStoredPrecision(clock.GetUtcNow());
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { Clinic = clinicId, SessionId = sessionId, PatientId = patientId };
        var sessionExists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from attendance_session where clinic_id = @Clinic and id = @SessionId)", args, tx, cancellationToken: ct));
        if (!sessionExists) return AbsenceResult.SessionNotFound;
        var row = await conn.QuerySingleOrDefaultAsync<AttendanceRecordRows.Row>(new CommandDefinition($"""
            select {AttendanceRecordRows.Columns} from attendance_record
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            for update
            """, args, tx, cancellationToken: ct));
        if (row is null) return AbsenceResult.NotParticipant;

        var decision = AttendanceRules.RecordAbsence(row.ToRecord(), outcome, reason, notes, now, recordedBy);
        if (!decision.Accepted) return new AbsenceResult(AbsenceStatus.AlreadyDecided, decision.Record);
        await AttendanceRecordRows.Save(conn, tx, clinicId, sessionId, decision.Record, ct);
        await PolicyQueue.Enqueue(conn, tx, clinicId, sessionId, patientId, now, ct);
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return new AbsenceResult(AbsenceStatus.Recorded, decision.Record);
    }

    static async Task<IReadOnlyList<PresenceMark>> Marks(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId,
        Guid participantId, string kind, CancellationToken ct) =>
        (await conn.QueryAsync<MarkRow>(new CommandDefinition("""
            select change, occurred_at from presence_mark
            where clinic_id = @Clinic and session_id = @SessionId and participant_id = @ParticipantId and participant_kind = @Kind
            """, new { Clinic = clinicId, SessionId = sessionId, ParticipantId = participantId, Kind = kind }, tx, cancellationToken: ct)))
        .Select(m => m.ToMark()).ToList();

    static Task KeepMark(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid participantId, string kind,
        PresenceMark mark, string recordedBy, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into presence_mark (clinic_id, session_id, participant_id, participant_kind, change, occurred_at, recorded_by)
            values (@Clinic, @SessionId, @ParticipantId, @Kind, @Change, @At, @RecordedBy)
            """,
            new
            {
                Clinic = clinicId, SessionId = sessionId, ParticipantId = participantId, Kind = kind,
                Change = mark.Change == PresenceChange.Join ? "join" : "leave", mark.At, RecordedBy = recordedBy
            }, tx, cancellationToken: ct));

    /// <summary>The participant's stretches, paired again from their marks; each is credited to whoever recorded its join.</summary>
    static Task ReplaceIntervals(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid participantId, string kind,
        IReadOnlyList<PresenceInterval> intervals, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            delete from presence_interval
            where clinic_id = @Clinic and session_id = @SessionId and participant_id = @ParticipantId and participant_kind = @Kind;
            insert into presence_interval (clinic_id, session_id, participant_id, participant_kind, joined_at, left_at, recorded_by)
            select @Clinic, @SessionId, @ParticipantId, @Kind, i.joined_at, i.left_at, m.recorded_by
            from unnest(@JoinedAt::timestamptz[], @LeftAt::timestamptz[]) as i(joined_at, left_at)
            join presence_mark m on m.clinic_id = @Clinic and m.session_id = @SessionId and m.participant_id = @ParticipantId
                                and m.participant_kind = @Kind and m.change = 'join' and m.occurred_at = i.joined_at
            """,
            new
            {
                Clinic = clinicId, SessionId = sessionId, ParticipantId = participantId, Kind = kind,
                JoinedAt = intervals.Select(i => i.JoinedAt.ToUniversalTime()).ToArray(),
                LeftAt = intervals.Select(i => i.LeftAt?.ToUniversalTime()).ToArray()
            }, tx, cancellationToken: ct));

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>timestamptz keeps microseconds; answering with the stored value keeps replies, reads and events equal.</summary>
    internal static DateTimeOffset ToStoredPrecision(DateTimeOffset instant) => instant.AddTicks(-(instant.UtcTicks % 10));

    sealed class SessionRow
    {
        public Guid Id { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public Guid? ClinicianId { get; set; }
        public int? LateAfterMinutes { get; set; }
        public int? PartialBelowPercent { get; set; }

        public SessionWindow Window => new(StartsAt, EndsAt);
    }

    sealed class MarkRow
    {
        public string Change { get; set; } = "";
        public DateTimeOffset OccurredAt { get; set; }

        public PresenceMark ToMark() => new(Change == "join" ? PresenceChange.Join : PresenceChange.Leave, OccurredAt);
    }

    sealed class IntervalRow
    {
        public Guid ParticipantId { get; set; }
        public string ParticipantKind { get; set; } = "";
        public DateTimeOffset JoinedAt { get; set; }
        public DateTimeOffset? LeftAt { get; set; }

        public PresenceInterval ToInterval() => new(JoinedAt, LeftAt);
    }
}

public enum PresenceStatus
{
    Recorded,
    /// <summary>The session is not known yet: the mark is held and applies when it comes (<see cref="PendingPresence"/>).</summary>
    Held,
    NotParticipant
}

public sealed record PresenceResult(PresenceStatus Status, AttendanceRecord? Record, int MinutesAttended)
{
    public static readonly PresenceResult Held = new(PresenceStatus.Held, null, 0);
    public static readonly PresenceResult NotParticipant = new(PresenceStatus.NotParticipant, null, 0);

    public static PresenceResult Recorded(AttendanceRecord record, int minutes) => new(PresenceStatus.Recorded, record, minutes);
}

public enum StaffPresenceResult
{
    Recorded,
    /// <summary>The session is not known yet: the mark is held and applies when it comes (<see cref="PendingPresence"/>).</summary>
    Held,
    IsPatient
}

public enum AbsenceStatus
{
    Recorded,
    SessionNotFound,
    NotParticipant,
    AlreadyDecided
}

public sealed record AbsenceResult(AbsenceStatus Status, AttendanceRecord? Record)
{
    public static readonly AbsenceResult SessionNotFound = new(AbsenceStatus.SessionNotFound, null);
    public static readonly AbsenceResult NotParticipant = new(AbsenceStatus.NotParticipant, null);
}
