using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

/// <summary>
/// Turns events into pending deliveries. Each effect runs through the inbox, so a redelivered event plans
/// nothing twice; the unique index on delivery holds the same line against a republished one. Scheduling's reports
/// about a session update Notification's copy of it by version (<see cref="SessionCopy"/>), whatever order they arrive
/// in, and the session's reminders and notices are then reconciled with the copy.
/// </summary>
public sealed class Outreach(Inbox inbox, SessionCopy sessions, TimeProvider clock)
{
    /// <summary>Why a message about a miss that was taken back is not sent (the delivery's reason code).</summary>
    public const string CorrectedReason = "corrected";

    /// <summary>
    /// A session was scheduled. Its times and roster are kept unless a newer report (a rescheduling, a removal, a
    /// cancellation heard of first) already holds them; its facts that never change fill in a placeholder row, and its
    /// program is known from then on (<see cref="KnownPrograms"/>).
    /// </summary>
    public Task<bool> PlanReminders(SessionScheduled session, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(session, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var held = await SessionCopy.Hold(conn, tx, session.ClinicId, session.SessionId, ct);
            await SessionCopy.ApplyTimes(conn, tx, held,
                new SessionTimes(session.ClinicId, session.SessionId, session.StartsAt, session.EndsAt, session.TimeZone, session.Version),
                SessionVersions.ScheduledSupersedes, now, ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                update session set kind = @Kind, program_id = @ProgramId, clinician_id = @ClinicianId
                where clinic_id = @ClinicId and id = @SessionId and kind = 'unknown'
                """, new { session.ClinicId, session.SessionId, session.Kind, session.ProgramId, session.ClinicianId }, tx, cancellationToken: ct));
            // A program whose ProgramCreated is still on its way is known from its first session.
            await KnownPrograms.Learn(conn, tx, session.ClinicId, session.ProgramId, now, ct);
            await SessionCopy.ApplyMembership(conn, tx, session.ClinicId, session.SessionId, session.PatientIds, present: true, session.Version,
                SessionVersions.ScheduledSupersedes, now, ct);
            await sessions.Reconcile(conn, tx, session.ClinicId, session.SessionId, now, ct);
        }, ct);

    /// <summary>The session moved: its pending reminders are withdrawn and planned anew for the new time; those already sent stay sent.</summary>
    public Task<bool> MoveReminders(SessionRescheduled moved, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(moved, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var held = await SessionCopy.Hold(conn, tx, moved.ClinicId, moved.SessionId, ct);
            await SessionCopy.ApplyTimes(conn, tx, held,
                new SessionTimes(moved.ClinicId, moved.SessionId, moved.StartsAt, moved.EndsAt, moved.TimeZone, moved.Version),
                SessionVersions.Supersedes, now, ct);
            await sessions.Reconcile(conn, tx, moved.ClinicId, moved.SessionId, now, ct);
        }, ct);

    /// <summary>
    /// The session is cancelled: its pending reminders and outreach are withdrawn and each participant gets a cancellation
    /// notice, except one whose makeup booked into it was already reopened: that patient's message says so in its place.
    /// A cancellation heard of before the session is kept, so the late SessionScheduled plans nothing for it.
    /// </summary>
    public Task<bool> CancelReminders(SessionCancelled cancelled, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(cancelled, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            await SessionCopy.Hold(conn, tx, cancelled.ClinicId, cancelled.SessionId, ct);
            await SessionCopy.Cancel(conn, tx, cancelled.ClinicId, cancelled.SessionId, cancelled.StartsAt, cancelled.TimeZone, cancelled.Version, now, ct);
            await sessions.Reconcile(conn, tx, cancelled.ClinicId, cancelled.SessionId, now, ct);
        }, ct);

    /// <summary>A patient joined the session after it was scheduled: they get its reminders from now on.</summary>
    public Task<bool> AddParticipant(SessionParticipantAdded added, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(added, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var held = await SessionCopy.Hold(conn, tx, added.ClinicId, added.SessionId, ct);
            await SessionCopy.ApplyTimes(conn, tx, held,
                new SessionTimes(added.ClinicId, added.SessionId, added.StartsAt, added.EndsAt, added.TimeZone, added.Version),
                SessionVersions.Supersedes, now, ct);
            await SessionCopy.ApplyMembership(conn, tx, added.ClinicId, added.SessionId, [added.PatientId], present: true, added.Version,
                SessionVersions.Supersedes, now, ct);
            await sessions.Reconcile(conn, tx, added.ClinicId, added.SessionId, now, ct);
        }, ct);

    /// <summary>
    /// A patient left the session: their pending reminders for it are withdrawn. A makeup they had booked into it was
    /// given back, so its being offered again later is not a cancellation. A removal heard of first is kept, so an
    /// older report does not bring the patient back.
    /// </summary>
    public Task<bool> RemoveParticipant(SessionParticipantRemoved removed, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(removed, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            await SessionCopy.Hold(conn, tx, removed.ClinicId, removed.SessionId, ct);
            var changed = await SessionCopy.ApplyMembership(conn, tx, removed.ClinicId, removed.SessionId, [removed.PatientId], present: false,
                removed.Version, SessionVersions.Supersedes, now, ct);
            if (changed.Length == 0) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                delete from makeup_booking where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId
                """, new { removed.ClinicId, removed.SessionId, removed.PatientId }, tx, cancellationToken: ct));
            await sessions.Reconcile(conn, tx, removed.ClinicId, removed.SessionId, now, ct);
        }, ct);

    /// <summary>
    /// A "we missed you" message to the patient, and a note to each of their family or support contacts; whether a
    /// consent covers a contact is decided when the note is sent, so a revocation in between is honoured. Nothing is
    /// queued for a session known to be cancelled, nor for a miss a correction heard of first took back; a cancellation
    /// or correction heard of later withdraws what is still pending.
    /// </summary>
    public Task<bool> QueueMissedSessionOutreach(SessionMissed missed, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(missed, inboxKey, async (conn, tx) =>
        {
            // Under the session's lock (shared with the session's other misses), so a cancellation or correction consumed at the same moment
            // either is seen here or withdraws what is queued.
            if (await SessionCopy.Share(conn, tx, missed.ClinicId, missed.SessionId, ct) is { Cancelled: true }) return;
            // Nothing is queued while the latest correction heard of takes the miss back.
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel,
                                      session_starts_at, time_zone, due_at, status, created_at)
                select gen_random_uuid(), @ClinicId, @PatientId, @SessionId, 'missedSession', 'email',
                       @SessionStartsAt, @TimeZone, @Now, 'pending', @Now
                where not exists (select 1 from miss_correction
                                  where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId and undoes_miss)
                on conflict do nothing;
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, recipient, recipient_id, topic,
                                      session_starts_at, time_zone, due_at, status, created_at)
                select gen_random_uuid(), @ClinicId, @PatientId, @SessionId, 'supportUpdate', 'email', 'supportContact', sc.id, 'attendance',
                       @SessionStartsAt, @TimeZone, @Now, 'pending', @Now
                from support_contact sc
                where sc.clinic_id = @ClinicId and sc.patient_id = @PatientId
                  and not exists (select 1 from miss_correction
                                  where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId and undoes_miss)
                on conflict do nothing;
                """, new { missed.ClinicId, missed.PatientId, missed.SessionId, missed.SessionStartsAt, missed.TimeZone, Now = clock.GetUtcNow() },
                tx, cancellationToken: ct));
        }, ct);

    /// <summary>
    /// A clinician corrected the patient's outcome of a session. A correction that takes the miss back (Domain:
    /// AttendanceCorrected.UndoesMiss) cancels, with the reason "corrected", the messages about the miss still waiting to go out: the
    /// "we missed you", its notes to support contacts, the makeup options and word that a makeup for it was reopened,
    /// including one a dispatcher has claimed but not begun to send; one whose send has begun is on its way and is not
    /// touched. The latest correction is kept, under the session's lock, so a no-show or makeup offer that arrives after
    /// it queues nothing while it stands.
    /// </summary>
    public Task<bool> CancelMissedSessionOutreach(AttendanceCorrected corrected, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(corrected, inboxKey, async (conn, tx) =>
        {
            await SessionCopy.Hold(conn, tx, corrected.ClinicId, corrected.SessionId, ct);
            var args = new
            {
                corrected.ClinicId, corrected.SessionId, corrected.PatientId, corrected.CorrectedAt, Undoes = AttendanceCorrected.UndoesMiss(corrected.Outcome),
                Reason = CorrectedReason, Detail = $"The missed session was corrected to {corrected.Outcome}."
            };
            var standing = await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition("""
                insert into miss_correction (clinic_id, session_id, patient_id, corrected_at, undoes_miss)
                values (@ClinicId, @SessionId, @PatientId, @CorrectedAt, @Undoes)
                on conflict (clinic_id, session_id, patient_id) do update
                    set corrected_at = excluded.corrected_at, undoes_miss = excluded.undoes_miss
                    where miss_correction.corrected_at < excluded.corrected_at
                returning undoes_miss
                """, args, tx, cancellationToken: ct));
            if (standing is not true) return;
            await conn.ExecuteAsync(new CommandDefinition($"""
                update delivery set status = 'cancelled', {DeliveryQueue.ClearClaim}, reason_code = @Reason, detail = @Detail
                where clinic_id = @ClinicId and patient_id = @PatientId and {DeliveryQueue.NotBegun}
                  and ((session_id = @SessionId and kind in ('missedSession', 'supportUpdate', 'makeupOptions'))
                       or (missed_session_id = @SessionId and kind = 'makeupReopened'))
                """, args, tx, cancellationToken: ct));
        }, ct);
}
