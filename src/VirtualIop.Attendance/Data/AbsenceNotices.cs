using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Notification;

namespace VirtualIop.Attendance.Data;

public sealed record NewAbsenceNotice(Guid SessionId, Guid PatientId, AbsenceReason Reason, string? Notes, string NotifiedBy);

public sealed record AbsenceNotice(
    Guid Id,
    Guid SessionId,
    Guid PatientId,
    AbsenceReason ReasonCategory,
    string? Notes,
    string NotifiedBy,
    string RecordedBy,
    DateTimeOffset NotifiedAt,
    bool Excused,
    DateTimeOffset? WithdrawnAt);

public enum NoticeStatus
{
    Recorded,
    NotFound,
    NotParticipant,
    SessionEnded,
    AlreadyNotified,
    SessionStarted
}

public sealed record NoticeResult(NoticeStatus Status, AbsenceNotice? Notice = null);

public sealed class AbsenceNotices(NpgsqlDataSource db, Inbox inbox, Outbox outbox, TimeProvider clock, IOptions<AttendanceOptions> options, PatientAudit audit)
{
    const string NoticeColumns = """
        id, session_id, patient_id, reason_category, notes, notified_by, recorded_by, notified_at, excused, withdrawn_at
        """;

    /// <summary>
    /// Records a notice and decides the patient's record from it (excused or not, per the policy), with AbsenceNotified
    /// in the same transaction. Nothing is written for an unknown or ended session, a stranger, or a second notice.
    /// </summary>
    public async Task<NoticeResult> Notify(Guid clinicId, NewAbsenceNotice n, string recordedBy, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await Record(conn, tx, clinicId, n, recordedBy, ToStoredPrecision(clock.GetUtcNow()), ct);
        if (result.Status == NoticeStatus.Recorded) await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// A patient declined the session by replying N to a reminder: an advance notice from the patient, reason other (or
    /// the reason the patient already texted, when that came first), recorded by "patient:{channel}-reply" and given when
    /// the reply was received (so a reply read late is judged by when it came). Once per event (inbox); a reply for an
    /// ended session, a stranger or an already notified absence is taken in and changes nothing.
    /// </summary>
    /// <returns>What the reply did; null when this event had been processed before.</returns>
    public async Task<NoticeStatus?> NotifyByReply(SessionDeclinedByReply declined, string inboxKey, CancellationToken ct)
    {
        NoticeStatus? status = null;
        await inbox.ProcessOnce(declined, inboxKey, async (conn, tx) =>
        {
            var given = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
                select reason_category from reply_reason where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId
                """, new { declined.ClinicId, declined.SessionId, declined.PatientId }, tx, cancellationToken: ct));
            var reason = AttendanceOutcomes.ParseReason(given) ?? AbsenceReason.Other;
            var notice = new NewAbsenceNotice(declined.SessionId, declined.PatientId, reason, null, "patient");
            status = (await Record(conn, tx, declined.ClinicId, notice, ReplyRecorder(declined.Channel), ToStoredPrecision(declined.ReceivedAt), ct)).Status;
        }, ct);
        return status;
    }

    /// <summary>
    /// The patient texted why they declined (a number from the menu Notification sent after their N): the newest reason
    /// is kept, and the notice in force that their reply gave takes it as its reason category, with the record it
    /// decided; the excuse is judged again with the reason, never taken away (<see cref="NoticeRules.IsExcusedWithReasonGiven"/>),
    /// and the patient is queued for the policy when it changed. Once per event (inbox); an older answer than the one kept
    /// changes nothing. Without a notice yet, the reason waits here for the decline to come.
    /// </summary>
    /// <returns>true when a notice took the reason, false when the reason was kept for a notice to come (or was older than the one kept), null when this event had been processed before.</returns>
    public async Task<bool?> SetReasonFromReply(AbsenceReasonGivenByReply given, string inboxKey, CancellationToken ct)
    {
        if (!AttendanceOutcomes.TryParseReason(given.ReasonCategory, out var reason)) reason = AbsenceReason.Other;
        bool? applied = null;
        var now = ToStoredPrecision(given.ReceivedAt);
        var processed = await inbox.ProcessOnce(given, inboxKey, async (conn, tx) =>
        {
            applied = false;
            var args = new { given.ClinicId, given.SessionId, given.PatientId, Reason = reason.Name(), Now = now };
            var newest = await conn.ExecuteAsync(new CommandDefinition("""
                insert into reply_reason as r (clinic_id, session_id, patient_id, reason_category, given_at)
                values (@ClinicId, @SessionId, @PatientId, @Reason, @Now)
                on conflict (clinic_id, session_id, patient_id) do update set reason_category = excluded.reason_category, given_at = excluded.given_at
                where excluded.given_at >= r.given_at
                """, args, tx, cancellationToken: ct)) == 1;
            if (!newest) return;
            var notice = await conn.QuerySingleOrDefaultAsync<ReplyNoticeRow>(new CommandDefinition("""
                select n.id, n.excused, n.notified_at, s.starts_at, p.notice_hours, p.excused_reasons
                from absence_notice n
                join attendance_session s on s.clinic_id = n.clinic_id and s.id = n.session_id
                left join program_policy p on p.clinic_id = s.clinic_id and p.program_id = s.program_id
                where n.clinic_id = @ClinicId and n.session_id = @SessionId and n.patient_id = @PatientId
                  and n.withdrawn_at is null and n.notified_by = 'patient' and n.recorded_by like 'patient:%-reply'
                for update of n
                """, args, tx, cancellationToken: ct));
            if (notice is null) return;
            var excused = NoticeRules.IsExcusedWithReasonGiven(notice.Excused,
                ProgramPolicyRows.Notice(notice.NoticeHours, notice.ExcusedReasons, options.Value), reason, notice.StartsAt, notice.NotifiedAt);
            await conn.ExecuteAsync(new CommandDefinition("""
                update absence_notice set reason_category = @Reason, excused = @Excused where clinic_id = @ClinicId and id = @Id
                """, new { given.ClinicId, notice.Id, Reason = reason.Name(), Excused = excused }, tx, cancellationToken: ct));
            var outcomeChanged = await conn.ExecuteScalarAsync<bool?>(new CommandDefinition("""
                update attendance_record r
                set reason_category = @Reason, outcome = case when @Excused then 'excusedAbsence' else 'unexcusedAbsence' end
                from attendance_record before
                where r.clinic_id = @ClinicId and r.session_id = @SessionId and r.patient_id = @PatientId and r.notice_id = @Id
                  and r.outcome in ('excusedAbsence', 'unexcusedAbsence')
                  and before.clinic_id = r.clinic_id and before.session_id = r.session_id and before.patient_id = r.patient_id
                returning before.outcome <> r.outcome
                """, new { given.ClinicId, given.SessionId, given.PatientId, notice.Id, Reason = reason.Name(), Excused = excused }, tx, cancellationToken: ct));
            if (outcomeChanged == true) await PolicyQueue.Enqueue(conn, tx, given.ClinicId, given.SessionId, given.PatientId, now, ct);
            applied = true;
        }, ct);
        return processed ? applied : null;
    }

    /// <summary>"patient:sms-reply" for an SMS reply; the channel is reduced to lowercase letters so it cannot carry anything else.</summary>
    public static string ReplyRecorder(string channel)
    {
        var letters = new string(channel.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).Take(20).ToArray());
        return $"patient:{(letters.Length > 0 ? letters : "unknown")}-reply";
    }

    /// <summary>The notice inside the caller's transaction, given at <paramref name="now"/>; writes nothing unless Recorded.</summary>
    async Task<NoticeResult> Record(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, NewAbsenceNotice n, string recordedBy,
        DateTimeOffset now, CancellationToken ct)
    {
        var args = new { Clinic = clinicId, n.SessionId, n.PatientId };
        var session = await conn.QuerySingleOrDefaultAsync<SessionTimes>(new CommandDefinition("""
            select s.starts_at, s.ends_at, s.time_zone, p.notice_hours, p.excused_reasons
            from attendance_session s
            left join program_policy p on p.clinic_id = s.clinic_id and p.program_id = s.program_id
            where s.clinic_id = @Clinic and s.id = @SessionId
            """, args, tx, cancellationToken: ct));
        if (session is null) return new NoticeResult(NoticeStatus.NotFound);
        var row = await conn.QuerySingleOrDefaultAsync<AttendanceRecordRows.Row>(new CommandDefinition($"""
            select {AttendanceRecordRows.Columns} from attendance_record
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            for update
            """, args, tx, cancellationToken: ct));
        if (row is null) return new NoticeResult(NoticeStatus.NotParticipant);
        if (!NoticeRules.CanNotify(session.EndsAt, now)) return new NoticeResult(NoticeStatus.SessionEnded);

        var excused = NoticeRules.IsExcused(ProgramPolicyRows.Notice(session.NoticeHours, session.ExcusedReasons, options.Value), n.Reason, session.StartsAt, now);
        var notice = await conn.QuerySingleOrDefaultAsync<NoticeRow>(new CommandDefinition($"""
            insert into absence_notice (clinic_id, id, session_id, patient_id, reason_category, notes, notified_by, recorded_by, notified_at, excused)
            values (@Clinic, @Id, @SessionId, @PatientId, @Reason, @Notes, @NotifiedBy, @RecordedBy, @Now, @Excused)
            on conflict do nothing
            returning {NoticeColumns}
            """,
            new
            {
                Clinic = clinicId, Id = Guid.CreateVersion7(now), n.SessionId, n.PatientId, Reason = n.Reason.Name(), n.Notes, n.NotifiedBy,
                RecordedBy = recordedBy, Now = now, Excused = excused
            }, tx, cancellationToken: ct));
        if (notice is null) return new NoticeResult(NoticeStatus.AlreadyNotified);

        var record = row.ToRecord();
        var decided = NoticeRules.Apply(record, excused, n.Reason, n.Notes, now, recordedBy);
        if (decided != record)
        {
            await AttendanceRecordRows.Save(conn, tx, clinicId, n.SessionId, decided, ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                update attendance_record set notice_id = @NoticeId
                where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
                """, new { Clinic = clinicId, n.SessionId, n.PatientId, NoticeId = notice.Id }, tx, cancellationToken: ct));
            await PolicyQueue.Enqueue(conn, tx, clinicId, n.SessionId, n.PatientId, now, ct);
        }
        await audit.Change(conn, tx, [n.PatientId], ct);
        await outbox.Add(conn, tx, new AbsenceNotified(Guid.CreateVersion7(now), clinicId, notice.Id, n.SessionId, n.PatientId,
            n.Reason.Name(), excused, session.StartsAt, session.TimeZone, now), ct);
        return new NoticeResult(NoticeStatus.Recorded, notice.ToNotice());
    }

    /// <returns>null when this clinic has no such notice.</returns>
    /// <summary>True when the notice exists for this clinic and is the patient's own.</summary>
    public async Task<bool> BelongsTo(Guid clinicId, Guid noticeId, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from absence_notice where clinic_id = @Clinic and id = @Id and patient_id = @Patient)
            """, new { Clinic = clinicId, Id = noticeId, Patient = patientId }, cancellationToken: ct));
    }

    public async Task<AbsenceNotice?> Find(Guid clinicId, Guid noticeId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<NoticeRow>(new CommandDefinition($"""
            select {NoticeColumns} from absence_notice where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinicId, Id = noticeId }, cancellationToken: ct));
        if (row is not null) await audit.Read(conn, [row.PatientId], ct);
        return row?.ToNotice();
    }

    /// <summary>
    /// Withdraws a notice before the session starts: the notice is kept, marked withdrawn, the absence it decided is
    /// reopened, and AbsenceNoticeWithdrawn goes out in the same transaction. Withdrawing again changes nothing.
    /// </summary>
    public async Task<NoticeResult> Withdraw(Guid clinicId, Guid noticeId, string recordedBy, CancellationToken ct)
    {
        var now = ToStoredPrecision(clock.GetUtcNow());
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { Clinic = clinicId, Id = noticeId };
        var notice = await conn.QuerySingleOrDefaultAsync<NoticeRow>(new CommandDefinition($"""
            select {NoticeColumns} from absence_notice where clinic_id = @Clinic and id = @Id for update
            """, args, tx, cancellationToken: ct));
        if (notice is null) return new NoticeResult(NoticeStatus.NotFound);
        if (notice.WithdrawnAt is not null) return new NoticeResult(NoticeStatus.Recorded, notice.ToNotice());
        var startsAt = await conn.ExecuteScalarAsync<DateTimeOffset>(new CommandDefinition("""
            select starts_at from attendance_session where clinic_id = @Clinic and id = @SessionId
            """, new { Clinic = clinicId, notice.SessionId }, tx, cancellationToken: ct));
        if (!NoticeRules.CanWithdraw(startsAt, now)) return new NoticeResult(NoticeStatus.SessionStarted, notice.ToNotice());

        var recordArgs = new { Clinic = clinicId, notice.SessionId, notice.PatientId, NoticeId = noticeId };
        var row = await conn.QuerySingleAsync<AttendanceRecordRows.Row>(new CommandDefinition($"""
            select {AttendanceRecordRows.Columns} from attendance_record
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            for update
            """, recordArgs, tx, cancellationToken: ct));
        var decidedByThisNotice = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            update attendance_record set notice_id = null
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId and notice_id = @NoticeId
            returning true
            """, recordArgs, tx, cancellationToken: ct));
        if (decidedByThisNotice)
        {
            await AttendanceRecordRows.Save(conn, tx, clinicId, notice.SessionId, NoticeRules.Withdraw(row.ToRecord(), now, recordedBy), ct);
            await PolicyQueue.Enqueue(conn, tx, clinicId, notice.SessionId, notice.PatientId, now, ct);
        }
        var withdrawn = await conn.QuerySingleAsync<NoticeRow>(new CommandDefinition($"""
            update absence_notice set withdrawn_at = @Now where clinic_id = @Clinic and id = @Id
            returning {NoticeColumns}
            """, new { Clinic = clinicId, Id = noticeId, Now = now }, tx, cancellationToken: ct));
        await audit.Change(conn, tx, [notice.PatientId], ct);
        await outbox.Add(conn, tx, new AbsenceNoticeWithdrawn(Guid.CreateVersion7(now), clinicId, noticeId, notice.SessionId, notice.PatientId, now), ct);
        await tx.CommitAsync(ct);
        return new NoticeResult(NoticeStatus.Recorded, withdrawn.ToNotice());
    }

    /// <summary>timestamptz keeps microseconds; answering with the stored value keeps replies, reads and events equal.</summary>
    static DateTimeOffset ToStoredPrecision(DateTimeOffset instant) => instant.AddTicks(-(instant.UtcTicks % 10));

    sealed class ReplyNoticeRow
    {
        public Guid Id { get; set; }
        public bool Excused { get; set; }
        public DateTimeOffset NotifiedAt { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public int? NoticeHours { get; set; }
        public string[]? ExcusedReasons { get; set; }
    }

    sealed class SessionTimes
    {
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public int? NoticeHours { get; set; }
        public string[]? ExcusedReasons { get; set; }
    }

    sealed class NoticeRow
    {
        public Guid Id { get; set; }
        public Guid SessionId { get; set; }
        public Guid PatientId { get; set; }
        public string ReasonCategory { get; set; } = "";
        public string? Notes { get; set; }
        public string NotifiedBy { get; set; } = "";
        public string RecordedBy { get; set; } = "";
        public DateTimeOffset NotifiedAt { get; set; }
        public bool Excused { get; set; }
        public DateTimeOffset? WithdrawnAt { get; set; }

        public AbsenceNotice ToNotice() => new(Id, SessionId, PatientId, AttendanceOutcomes.ParseReason(ReasonCategory)!.Value, Notes, NotifiedBy,
            RecordedBy, NotifiedAt, Excused, WithdrawnAt);
    }
}
