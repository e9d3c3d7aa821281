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

            var plan = session.ProgramId is { } programId ? await ReminderPlans.Find(conn, tx, session.ClinicId, programId, ct) : null;
            var reminders = plan is null
                ? ReminderPlanner.Plan(session.StartsAt, options.Value.EffectiveReminderOffsets, now)
                : ReminderPlanner.Plan(session.StartsAt, plan.Offsets, now, plan.JoinAlertOffset);
            var patientIds = session.PatientIds.Distinct().ToArray();
            if (reminders.Count == 0 || patientIds.Length == 0) return;

            var quiet = (await conn.QueryAsync<QuietHoursRow>(new CommandDefinition("""
                select patient_id, time_zone, quiet_start_minute, quiet_end_minute
                from contact
                where clinic_id = @ClinicId and patient_id = any(@PatientIds) and quiet_start_minute is not null and time_zone is not null
                """, new { session.ClinicId, PatientIds = patientIds }, tx, cancellationToken: ct))).ToDictionary(q => q.PatientId);

            var rows = (from patient in patientIds
                        from reminder in reminders
                        select Planned(patient, reminder, quiet.GetValueOrDefault(patient), now)).ToList();
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, reminder_offset,
                                      session_starts_at, time_zone, due_at, status, detail, created_at)
                select gen_random_uuid(), @ClinicId, r.patient_id, @SessionId, r.kind, 'email', r.reminder_offset,
                       @StartsAt, @TimeZone, r.due_at, r.status, r.detail, @Now
                from unnest(@Patients, @Kinds, @Offsets, @DueAts, @Statuses, @Details) as r(patient_id, kind, reminder_offset, due_at, status, detail)
                on conflict do nothing
                """,
                new
                {
                    session.ClinicId,
                    session.SessionId,
                    session.StartsAt,
                    session.TimeZone,
                    Now = now,
                    Patients = rows.Select(r => r.PatientId).ToArray(),
                    Kinds = rows.Select(r => r.Kind).ToArray(),
                    Offsets = rows.Select(r => r.Offset).ToArray(),
                    DueAts = rows.Select(r => r.DueAt.ToUniversalTime()).ToArray(),
                    Statuses = rows.Select(r => r.Status).ToArray(),
                    Details = rows.Select(r => r.Detail).ToArray()
                }, tx, cancellationToken: ct));
        }, ct);

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
