using System.Globalization;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

/// <summary>
/// The catch-up after a missed session reaching the patient: a supportive message with the link to it once Engagement
/// assigns it, and a reminder the day before its homework is due while the homework is still open. What Engagement
/// reports about a package is kept in catch_up whichever order it arrives in: homework done before the assignment is
/// heard of plans no reminder, and a package already addressed gets no message at all. Each effect runs through the
/// inbox, and the delivery table's unique index holds the line against a republished event.
/// </summary>
public sealed class CatchUps(Inbox inbox, TimeProvider clock)
{
    public const string Homework = "homework";

    public Task<bool> Share(ContinuityAssigned assigned, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(assigned, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            // The row is locked until commit, so a completion or addressing consumed at the same moment either is seen
            // here or, waiting for the lock, cancels what is queued.
            var known = await conn.QuerySingleOrDefaultAsync<KnownRow>(new CommandDefinition("""
                insert into catch_up (clinic_id, package_id, patient_id, session_id, assigned_at, homework_due_on, received_at)
                values (@ClinicId, @PackageId, @PatientId, @SessionId, @AssignedAt, @DueOn::date, @Now)
                on conflict (clinic_id, package_id) do update
                    set assigned_at = excluded.assigned_at, homework_due_on = excluded.homework_due_on
                    where catch_up.assigned_at is null
                returning homework_done_at, addressed_at
                """, new
            {
                assigned.ClinicId, assigned.PackageId, assigned.PatientId, assigned.SessionId, assigned.AssignedAt,
                DueOn = assigned.HomeworkDueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Now = now
            }, tx, cancellationToken: ct));
            if (known is null || known.AddressedAt is not null) return;

            var patient = await conn.QuerySingleAsync<PatientRow>(new CommandDefinition("""
                select s.starts_at, s.time_zone as session_time_zone, c.time_zone as patient_time_zone, c.quiet_start_minute, c.quiet_end_minute
                from (select 1) as one
                left join session s on s.clinic_id = @ClinicId and s.id = @SessionId
                left join contact c on c.clinic_id = @ClinicId and c.patient_id = @PatientId
                """, new { assigned.ClinicId, assigned.SessionId, assigned.PatientId }, tx, cancellationToken: ct));
            await Queue(conn, tx, assigned, "catchUpAssigned", patient, now, null, now, ct);

            if (assigned.HomeworkDueOn is not { } dueOn || known.HomeworkDoneAt is not null) return;
            var zone = Zone(patient.PatientTimeZone) ?? Zone(patient.SessionTimeZone) ?? TimeZoneInfo.Utc;
            if (HomeworkReminderRule.Plan(dueOn, zone, patient.QuietHours(), now) is { } reminder)
                await Queue(conn, tx, assigned, "homeworkReminder", patient, reminder.DueAt, reminder.QuietHoursDetail, now, ct);
        }, ct);

    /// <summary>The patient marked the homework done: its reminder, if still pending, is cancelled; if not planned yet, it never is.</summary>
    public Task<bool> SettleHomework(ContinuityItemCompleted completed, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(completed, inboxKey, async (conn, tx) =>
        {
            if (completed.Item != Homework) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into catch_up (clinic_id, package_id, patient_id, session_id, homework_done_at, received_at)
                values (@ClinicId, @PackageId, @PatientId, @SessionId, @CompletedAt, @Now)
                on conflict (clinic_id, package_id) do update set homework_done_at = coalesce(catch_up.homework_done_at, excluded.homework_done_at);

                update delivery set status = 'cancelled', reason_code = 'homeworkDone', detail = 'The homework was marked done.'
                where clinic_id = @ClinicId and patient_id = @PatientId and session_id = @SessionId and kind = 'homeworkReminder' and status = 'pending';
                """, new { completed.ClinicId, completed.PackageId, completed.PatientId, completed.SessionId, completed.CompletedAt, Now = clock.GetUtcNow() },
                tx, cancellationToken: ct));
        }, ct);

    /// <summary>
    /// The package is addressed (completed, made up, waived or corrected away): what is still pending about it, the
    /// message and the reminder, is cancelled with that reason; an assignment heard of later sends nothing.
    /// </summary>
    public Task<bool> Close(ContinuityPackageAddressed addressed, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(addressed, inboxKey, (conn, tx) =>
            conn.ExecuteAsync(new CommandDefinition("""
                insert into catch_up (clinic_id, package_id, patient_id, session_id, addressed_at, received_at)
                values (@ClinicId, @PackageId, @PatientId, @SessionId, @AddressedAt, @Now)
                on conflict (clinic_id, package_id) do update set addressed_at = coalesce(catch_up.addressed_at, excluded.addressed_at);

                update delivery set status = 'cancelled', reason_code = @How, detail = 'The catch-up was addressed (' || @How || ').'
                where clinic_id = @ClinicId and patient_id = @PatientId and session_id = @SessionId
                  and kind in ('catchUpAssigned', 'homeworkReminder') and status = 'pending';
                """, new { addressed.ClinicId, addressed.PackageId, addressed.PatientId, addressed.SessionId, addressed.AddressedAt, addressed.How,
                Now = clock.GetUtcNow() }, tx, cancellationToken: ct)), ct);

    static Task Queue(NpgsqlConnection conn, NpgsqlTransaction tx, ContinuityAssigned assigned, string kind, PatientRow patient, DateTimeOffset dueAt,
        string? quietHoursDetail, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, session_starts_at, time_zone, due_at, status, detail, reason_code,
                                  created_at)
            values (gen_random_uuid(), @ClinicId, @PatientId, @SessionId, @Kind, 'email', @StartsAt, @SessionTimeZone, @DueAt, 'pending', @Detail,
                    case when @Detail::text is not null then 'quietHours' end, @Now)
            on conflict do nothing
            """, new
        {
            assigned.ClinicId, assigned.PatientId, assigned.SessionId, Kind = kind, patient.StartsAt, patient.SessionTimeZone, DueAt = dueAt.ToUniversalTime(),
            Detail = quietHoursDetail, Now = now
        }, tx, cancellationToken: ct));

    static TimeZoneInfo? Zone(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    sealed record KnownRow
    {
        public DateTimeOffset? HomeworkDoneAt { get; init; }
        public DateTimeOffset? AddressedAt { get; init; }
    }

    sealed record PatientRow
    {
        public DateTimeOffset? StartsAt { get; init; }
        public string? SessionTimeZone { get; init; }
        public string? PatientTimeZone { get; init; }
        public short? QuietStartMinute { get; init; }
        public short? QuietEndMinute { get; init; }

        public QuietHours? QuietHours() => QuietStartMinute is { } start && QuietEndMinute is { } end
            ? new QuietHours(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(start)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(end)))
            : null;
    }
}
