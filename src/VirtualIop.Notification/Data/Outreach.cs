using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;
using VirtualIop.Notification.Messaging;

namespace VirtualIop.Notification.Data;

/// <summary>
/// Turns events into pending deliveries. Each effect runs through the inbox, so a redelivered event plans
/// nothing twice; the unique index on delivery holds the same line against a republished one.
/// </summary>
public sealed class Outreach(Inbox inbox, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public Task<bool> PlanReminders(SessionScheduled session, CancellationToken ct) =>
        inbox.ProcessOnce(session, nameof(PlanRemindersForScheduledSession), async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into session (clinic_id, id, kind, starts_at, ends_at, time_zone, program_id, clinician_id, received_at)
                values (@ClinicId, @SessionId, @Kind, @StartsAt, @EndsAt, @TimeZone, @ProgramId, @ClinicianId, @Now)
                on conflict (clinic_id, id) do update set kind = excluded.kind, program_id = excluded.program_id, clinician_id = excluded.clinician_id
                where session.kind = 'unknown';
                insert into session_participant (clinic_id, session_id, patient_id)
                select @ClinicId, @SessionId, p from unnest(@PatientIds) as p
                on conflict do nothing;
                """, new
            {
                session.ClinicId, session.SessionId, session.Kind, session.StartsAt, session.EndsAt, session.TimeZone, session.ProgramId,
                session.ClinicianId, Now = now,
                PatientIds = session.PatientIds.Distinct().ToArray()
            }, tx, cancellationToken: ct));
            await Plan(conn, tx, session.ClinicId, session.SessionId, session.StartsAt, session.TimeZone, session.ProgramId,
                session.PatientIds.Distinct().ToArray(), now, ct);
        }, ct);

    /// <summary>The session moved: its pending reminders are withdrawn and planned anew for the new time; those already sent stay sent.</summary>
    public Task<bool> MoveReminders(SessionRescheduled moved, CancellationToken ct) =>
        inbox.ProcessOnce(moved, nameof(MoveRemindersOfRescheduledSession), async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var programId = await conn.QuerySingleOrDefaultAsync<(Guid Id, Guid? ProgramId)?>(new CommandDefinition("""
                update session set starts_at = @StartsAt, ends_at = @EndsAt, time_zone = @TimeZone
                where clinic_id = @ClinicId and id = @SessionId and cancelled_at is null
                returning id, program_id
                """, new { moved.ClinicId, moved.SessionId, moved.StartsAt, moved.EndsAt, moved.TimeZone }, tx, cancellationToken: ct));
            if (programId is null) return; // a session Notification never heard of, or one already cancelled
            var patients = await CancelPendingReminders(conn, tx, moved.ClinicId, moved.SessionId, null, "The session was rescheduled.", ct);
            await Plan(conn, tx, moved.ClinicId, moved.SessionId, moved.StartsAt, moved.TimeZone, programId.Value.ProgramId, patients, now, ct);
        }, ct);

    /// <summary>
    /// The session is cancelled: its pending reminders are withdrawn and each participant gets a cancellation notice,
    /// except one whose makeup booked into it was already reopened: that patient's message says so in its place.
    /// </summary>
    public Task<bool> CancelReminders(SessionCancelled cancelled, CancellationToken ct) =>
        inbox.ProcessOnce(cancelled, nameof(CancelRemindersOfCancelledSession), async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var found = await conn.ExecuteAsync(new CommandDefinition("""
                update session set cancelled_at = @Now where clinic_id = @ClinicId and id = @SessionId and cancelled_at is null
                """, new { cancelled.ClinicId, cancelled.SessionId, Now = now }, tx, cancellationToken: ct));
            if (found == 0) return;
            var patients = await CancelPendingReminders(conn, tx, cancelled.ClinicId, cancelled.SessionId, null, "The session was cancelled.", ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, session_starts_at, time_zone, due_at, status, created_at)
                select gen_random_uuid(), @ClinicId, p, @SessionId, 'sessionCancelled', 'email', @StartsAt, @TimeZone, @Now, 'pending', @Now
                from unnest(@Patients) as p
                where not exists (select 1 from delivery r
                                  where r.clinic_id = @ClinicId and r.session_id = @SessionId and r.patient_id = p
                                    and r.kind = 'makeupReopened' and r.status <> 'cancelled')
                on conflict do nothing
                """, new { cancelled.ClinicId, cancelled.SessionId, cancelled.StartsAt, cancelled.TimeZone, Now = now, Patients = patients },
                tx, cancellationToken: ct));
        }, ct);

    /// <summary>A patient joined the session after it was scheduled: they get its reminders from now on.</summary>
    public Task<bool> AddParticipant(SessionParticipantAdded added, CancellationToken ct) =>
        inbox.ProcessOnce(added, nameof(PlanRemindersForAddedParticipant), async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var programId = await conn.QuerySingleOrDefaultAsync<(Guid Id, Guid? ProgramId)?>(new CommandDefinition("""
                insert into session (clinic_id, id, kind, starts_at, ends_at, time_zone, received_at)
                values (@ClinicId, @SessionId, 'unknown', @StartsAt, @EndsAt, @TimeZone, @Now)
                on conflict (clinic_id, id) do update set starts_at = excluded.starts_at, ends_at = excluded.ends_at, time_zone = excluded.time_zone
                where session.cancelled_at is null
                returning id, program_id;
                """, new { added.ClinicId, added.SessionId, added.StartsAt, added.EndsAt, added.TimeZone, Now = now }, tx, cancellationToken: ct));
            if (programId is null) return; // the session was cancelled
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into session_participant (clinic_id, session_id, patient_id) values (@ClinicId, @SessionId, @PatientId)
                on conflict (clinic_id, session_id, patient_id) do update set removed_at = null
                """, new { added.ClinicId, added.SessionId, added.PatientId }, tx, cancellationToken: ct));
            await Plan(conn, tx, added.ClinicId, added.SessionId, added.StartsAt, added.TimeZone, programId.Value.ProgramId, [added.PatientId], now, ct);
        }, ct);

    /// <summary>
    /// A patient left the session: their pending reminders for it are withdrawn. A makeup they had booked into it was
    /// given back, so its being offered again later is not a cancellation.
    /// </summary>
    public Task<bool> RemoveParticipant(SessionParticipantRemoved removed, CancellationToken ct) =>
        inbox.ProcessOnce(removed, nameof(CancelRemindersOfRemovedParticipant), async (conn, tx) =>
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                update session_participant set removed_at = @Now
                where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId and removed_at is null;
                delete from makeup_booking where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId;
                """, new { removed.ClinicId, removed.SessionId, removed.PatientId, Now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            await CancelPendingReminders(conn, tx, removed.ClinicId, removed.SessionId, removed.PatientId, "The patient left the session.", ct);
        }, ct);

    /// <summary>
    /// Withdraws the session's pending reminders (of one patient, or all) in one statement, and returns the session's
    /// current participants. A reminder a dispatcher already holds is not touched: it is on its way.
    /// </summary>
    static async Task<Guid[]> CancelPendingReminders(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid? patientId,
        string reason, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition("""
            update delivery set status = 'cancelled', detail = @Reason
            where clinic_id = @ClinicId and session_id = @SessionId and (@PatientId::uuid is null or patient_id = @PatientId)
              and kind in ('reminder', 'joinAlert') and status = 'pending'
            """, new { ClinicId = clinicId, SessionId = sessionId, PatientId = patientId, Reason = reason }, tx, cancellationToken: ct));
        return (await conn.QueryAsync<Guid>(new CommandDefinition("""
            select patient_id from session_participant where clinic_id = @ClinicId and session_id = @SessionId and removed_at is null
            """, new { ClinicId = clinicId, SessionId = sessionId }, tx, cancellationToken: ct))).ToArray();
    }

    /// <summary>Plans a session's reminders for some of its patients, by its program's plan or the configured offsets, out of quiet hours.</summary>
    async Task Plan(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, DateTimeOffset startsAt, string timeZone, Guid? programId,
        Guid[] patientIds, DateTimeOffset now, CancellationToken ct)
    {
        var plan = programId is { } program ? await ReminderPlans.Find(conn, tx, clinicId, program, ct) : null;
        var reminders = plan is null
            ? ReminderPlanner.Plan(startsAt, options.Value.EffectiveReminderOffsets, now)
            : ReminderPlanner.Plan(startsAt, plan.Offsets, now, plan.JoinAlertOffset);
        if (reminders.Count == 0 || patientIds.Length == 0) return;

        var quiet = (await conn.QueryAsync<QuietHoursRow>(new CommandDefinition("""
            select patient_id, time_zone, quiet_start_minute, quiet_end_minute
            from contact
            where clinic_id = @ClinicId and patient_id = any(@PatientIds) and quiet_start_minute is not null and time_zone is not null
            """, new { ClinicId = clinicId, PatientIds = patientIds }, tx, cancellationToken: ct))).ToDictionary(q => q.PatientId);

        var rows = (from patient in patientIds
                    from reminder in reminders
                    select Planned(patient, reminder, quiet.GetValueOrDefault(patient), now)).ToList();
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, reminder_offset,
                                  session_starts_at, time_zone, due_at, status, detail, reason_code, created_at)
            select gen_random_uuid(), @ClinicId, r.patient_id, @SessionId, r.kind, 'email', r.reminder_offset,
                   @StartsAt, @TimeZone, r.due_at, r.status, r.detail, case when r.detail is not null then 'quietHours' end, @Now
            from unnest(@Patients, @Kinds, @Offsets, @DueAts, @Statuses, @Details) as r(patient_id, kind, reminder_offset, due_at, status, detail)
            on conflict do nothing
            """,
            new
            {
                ClinicId = clinicId,
                SessionId = sessionId,
                StartsAt = startsAt,
                TimeZone = timeZone,
                Now = now,
                Patients = rows.Select(r => r.PatientId).ToArray(),
                Kinds = rows.Select(r => r.Kind).ToArray(),
                Offsets = rows.Select(r => r.Offset).ToArray(),
                DueAts = rows.Select(r => r.DueAt.ToUniversalTime()).ToArray(),
                Statuses = rows.Select(r => r.Status).ToArray(),
                Details = rows.Select(r => r.Detail).ToArray()
            }, tx, cancellationToken: ct));
    }

    /// <summary>A planned reminder for one patient, kept out of their quiet hours: moved earlier, or suppressed with the reason.</summary>
    static PlannedRow Planned(Guid patientId, PlannedReminder reminder, QuietHoursRow? quiet, DateTimeOffset now)
    {
        var kind = reminder.Kind == DeliveryKind.JoinAlert ? "joinAlert" : "reminder";
        var zone = quiet?.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) ? found : null;
        var hours = quiet is { QuietStartMinute: { } start, QuietEndMinute: { } end }
            ? new QuietHours(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(start)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(end)))
            : null;
        if (zone is null || hours is null) return new PlannedRow(patientId, kind, reminder.Offset, reminder.DueAt, "pending", null);
        return QuietHoursRule.Apply(reminder.DueAt, now, hours, zone) switch
        {
            QuietHoursDecision.Moved moved => new PlannedRow(patientId, kind, reminder.Offset, moved.DueAt, "pending", moved.Reason),
            QuietHoursDecision.Skip skip => new PlannedRow(patientId, kind, reminder.Offset, reminder.DueAt, "suppressed", skip.Reason),
            _ => new PlannedRow(patientId, kind, reminder.Offset, reminder.DueAt, "pending", null)
        };
    }

    sealed record PlannedRow(Guid PatientId, string Kind, TimeSpan Offset, DateTimeOffset DueAt, string Status, string? Detail);

    sealed record QuietHoursRow
    {
        public Guid PatientId { get; init; }
        public string? TimeZone { get; init; }
        public short? QuietStartMinute { get; init; }
        public short? QuietEndMinute { get; init; }
    }

    /// <summary>
    /// A "we missed you" message to the patient, and a note to each of their family or support contacts; whether a
    /// consent covers a contact is decided when the note is sent, so a revocation in between is honoured.
    /// </summary>
    public Task<bool> QueueMissedSessionOutreach(SessionMissed missed, CancellationToken ct) =>
        inbox.ProcessOnce(missed, nameof(QueueMissedSessionOutreach), (conn, tx) =>
            conn.ExecuteAsync(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel,
                                      session_starts_at, time_zone, due_at, status, created_at)
                values (gen_random_uuid(), @ClinicId, @PatientId, @SessionId, 'missedSession', 'email',
                        @SessionStartsAt, @TimeZone, @Now, 'pending', @Now)
                on conflict do nothing;
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, recipient, recipient_id, topic,
                                      session_starts_at, time_zone, due_at, status, created_at)
                select gen_random_uuid(), @ClinicId, @PatientId, @SessionId, 'supportUpdate', 'email', 'supportContact', sc.id, 'attendance',
                       @SessionStartsAt, @TimeZone, @Now, 'pending', @Now
                from support_contact sc
                where sc.clinic_id = @ClinicId and sc.patient_id = @PatientId
                on conflict do nothing;
                """, new { missed.ClinicId, missed.PatientId, missed.SessionId, missed.SessionStartsAt, missed.TimeZone, Now = clock.GetUtcNow() },
                tx, cancellationToken: ct)), ct);
}
