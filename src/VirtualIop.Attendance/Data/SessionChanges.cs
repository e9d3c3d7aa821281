using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Data;

/// <summary>
/// Keeps Attendance's copy of a session in step with Scheduling: a moved session is swept at its new end,
/// a cancelled one never, and the roster follows participants who join or leave. A session already swept
/// is left as decided (corrections handle the rare change after the fact).
/// </summary>
public sealed class SessionChanges(Inbox inbox, TimeProvider clock, IOptions<AttendanceOptions> options)
{
    public Task<bool> Reschedule(SessionRescheduled moved, CancellationToken ct) =>
        inbox.ProcessOnce(moved, "move-rescheduled-session", (conn, tx) => conn.ExecuteAsync(new CommandDefinition("""
            update attendance_session
            set starts_at = @StartsAt, ends_at = @EndsAt, time_zone = @TimeZone, no_show_due_at = @NoShowDueAt
            where clinic_id = @ClinicId and id = @SessionId and swept_at is null
            """, new
            {
                moved.ClinicId, moved.SessionId, moved.StartsAt, moved.EndsAt, moved.TimeZone,
                NoShowDueAt = AttendanceRules.NoShowDueAt(moved.EndsAt, options.Value.NoShowGrace)
            }, tx, cancellationToken: ct)), ct);

    public Task<bool> Cancel(SessionCancelled cancelled, CancellationToken ct) =>
        inbox.ProcessOnce(cancelled, "cancel-session-attendance", (conn, tx) => conn.ExecuteAsync(new CommandDefinition("""
            update attendance_session set cancelled_at = @Now
            where clinic_id = @ClinicId and id = @SessionId and swept_at is null and cancelled_at is null
            """, new { cancelled.ClinicId, cancelled.SessionId, Now = clock.GetUtcNow() }, tx, cancellationToken: ct)), ct);

    public Task<bool> AddParticipant(SessionParticipantAdded added, CancellationToken ct) =>
        inbox.ProcessOnce(added, "add-session-participant", (conn, tx) => conn.ExecuteAsync(new CommandDefinition("""
            insert into attendance_record (clinic_id, session_id, patient_id, position)
            select s.clinic_id, s.id, @PatientId,
                   coalesce((select max(r.position) from attendance_record r where r.clinic_id = s.clinic_id and r.session_id = s.id), 0) + 1
            from attendance_session s
            where s.clinic_id = @ClinicId and s.id = @SessionId and s.swept_at is null
              and s.clinician_id is distinct from @PatientId
            on conflict do nothing
            """, new { added.ClinicId, added.SessionId, added.PatientId }, tx, cancellationToken: ct)), ct);

    public Task<bool> RemoveParticipant(SessionParticipantRemoved removed, CancellationToken ct) =>
        inbox.ProcessOnce(removed, "remove-session-participant", (conn, tx) => conn.ExecuteAsync(new CommandDefinition("""
            delete from attendance_record
            where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId and outcome = 'pending'
            """, new { removed.ClinicId, removed.SessionId, removed.PatientId }, tx, cancellationToken: ct)), ct);
}
