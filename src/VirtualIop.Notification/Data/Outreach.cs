using Dapper;
using Microsoft.Extensions.Options;
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
                insert into session (clinic_id, id, kind, starts_at, ends_at, time_zone, received_at)
                values (@ClinicId, @SessionId, @Kind, @StartsAt, @EndsAt, @TimeZone, @Now)
                on conflict (clinic_id, id) do nothing
                """, new { session.ClinicId, session.SessionId, session.Kind, session.StartsAt, session.EndsAt, session.TimeZone, Now = now },
                tx, cancellationToken: ct));

            var reminders = ReminderPlanner.Plan(session.StartsAt, options.Value.EffectiveReminderOffsets, now);
            if (reminders.Count == 0 || session.PatientIds.Count == 0) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, reminder_offset,
                                      session_starts_at, time_zone, due_at, status, created_at)
                select gen_random_uuid(), @ClinicId, p.patient_id, @SessionId, 'reminder', 'email', r.reminder_offset,
                       @StartsAt, @TimeZone, r.due_at, 'pending', @Now
                from unnest(@PatientIds) as p(patient_id)
                cross join unnest(@Offsets, @DueAts) as r(reminder_offset, due_at)
                on conflict do nothing
                """,
                new
                {
                    session.ClinicId,
                    session.SessionId,
                    session.StartsAt,
                    session.TimeZone,
                    Now = now,
                    PatientIds = session.PatientIds.Distinct().ToArray(),
                    Offsets = reminders.Select(r => r.Offset).ToArray(),
                    DueAts = reminders.Select(r => r.DueAt.ToUniversalTime()).ToArray()
                }, tx, cancellationToken: ct));
        }, ct);

    public Task<bool> QueueMissedSessionOutreach(SessionMissed missed, CancellationToken ct) =>
        inbox.ProcessOnce(missed, nameof(QueueMissedSessionOutreach), (conn, tx) =>
            conn.ExecuteAsync(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel,
                                      session_starts_at, time_zone, due_at, status, created_at)
                values (gen_random_uuid(), @ClinicId, @PatientId, @SessionId, 'missedSession', 'email',
                        @SessionStartsAt, @TimeZone, @Now, 'pending', @Now)
                on conflict do nothing
                """, new { missed.ClinicId, missed.PatientId, missed.SessionId, missed.SessionStartsAt, missed.TimeZone, Now = clock.GetUtcNow() },
                tx, cancellationToken: ct)), ct);
}
