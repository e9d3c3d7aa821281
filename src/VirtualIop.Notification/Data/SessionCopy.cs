using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Data;

/// <summary>What Notification holds of a session when a report about it arrives.</summary>
public sealed record HeldSession
{
    public DateTimeOffset StartsAt { get; init; }
    public string TimeZone { get; init; } = "";
    public Guid? ProgramId { get; init; }
    public long TimesVersion { get; init; }
    public bool Cancelled { get; init; }
}

/// <summary>
/// Notification's copy of each session (times, time zone, cancellation, roster), kept by the session's version so that
/// Scheduling's reports converge whatever order they arrive in (<see cref="SessionVersions"/>), and the messages that
/// follow from it: after every report the session's reminders and cancellation notices are reconciled with the copy,
/// as a set, so they depend on what the copy says and not on which report came last.
/// </summary>
public sealed class SessionCopy(IOptions<NotificationOptions> options)
{
    /// <summary>
    /// Takes the session's lock for the rest of the transaction and reads what is held. Every report about a session
    /// (and a missed-session outreach, which must see a cancellation) takes it, so two reports consumed at once take
    /// turns even before the session's row exists.
    /// </summary>
    public static Task<HeldSession?> Hold(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, CancellationToken ct) =>
        Read(conn, tx, clinicId, sessionId, "pg_advisory_xact_lock", ct);

    /// <summary>
    /// Takes the session's lock in shared mode for the rest of the transaction and reads what is held: for an effect on
    /// one patient that must see a cancellation, or be withdrawn by it, but changes nothing of the session. The patients
    /// who missed one group session are then served side by side instead of in turn, while every report about the
    /// session (<see cref="Hold"/>) still waits for them, and they for it.
    /// </summary>
    public static Task<HeldSession?> Share(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, CancellationToken ct) =>
        Read(conn, tx, clinicId, sessionId, "pg_advisory_xact_lock_shared", ct);

    /// <summary>
    /// The lock and the read go in one round trip: under read committed the read, a statement of its own, takes its
    /// snapshot once the lock is granted, so it sees every report committed before.
    /// </summary>
    static async Task<HeldSession?> Read(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, string lockFunction, CancellationToken ct)
    {
        await using var batch = await conn.QueryMultipleAsync(new CommandDefinition($"""
            select {lockFunction}(hashtextextended('notification.session:' || @ClinicId::text || ':' || @SessionId::text, 0));
            select starts_at, time_zone, program_id, times_version, cancelled_at is not null as cancelled
            from session where clinic_id = @ClinicId and id = @SessionId
            """, new { ClinicId = clinicId, SessionId = sessionId }, tx, cancellationToken: ct));
        await batch.ReadAsync();
        return await batch.ReadSingleOrDefaultAsync<HeldSession>();
    }

    /// <summary>
    /// Keeps a report's start, end and zone when <paramref name="supersedes"/> says it is newer than the times held. A
    /// session not heard of yet gets a placeholder row (kind 'unknown') that its SessionScheduled fills in later.
    /// </summary>
    public static Task ApplyTimes(NpgsqlConnection conn, NpgsqlTransaction tx, HeldSession? held, SessionTimes times, Func<long?, long, bool> supersedes,
        DateTimeOffset now, CancellationToken ct)
    {
        if (held is not null && !supersedes(times.Version, held.TimesVersion)) return Task.CompletedTask;
        return conn.ExecuteAsync(new CommandDefinition("""
            insert into session (clinic_id, id, kind, starts_at, ends_at, time_zone, times_version, received_at)
            values (@ClinicId, @SessionId, 'unknown', @StartsAt, @EndsAt, @TimeZone, @Version, @Now)
            on conflict (clinic_id, id) do update
            set starts_at = excluded.starts_at, ends_at = excluded.ends_at, time_zone = excluded.time_zone, times_version = excluded.times_version
            """, new { times.ClinicId, times.SessionId, times.StartsAt, times.EndsAt, times.TimeZone, Version = times.Version ?? 0, Now = now },
            tx, cancellationToken: ct));
    }

    /// <summary>
    /// Marks the session cancelled, for good. A cancellation heard of first leaves a tombstone with the cancelled start
    /// and zone at version 0, so any report that carries times (even the older SessionScheduled) still fills them in.
    /// </summary>
    public static Task Cancel(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, DateTimeOffset startsAt, string timeZone,
        long? version, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into session (clinic_id, id, kind, starts_at, time_zone, received_at, cancelled_at, cancelled_version)
            values (@ClinicId, @SessionId, 'unknown', @StartsAt, @TimeZone, @Now, @Now, @Version)
            on conflict (clinic_id, id) do update
            set cancelled_at = coalesce(session.cancelled_at, excluded.cancelled_at),
                cancelled_version = greatest(session.cancelled_version, excluded.cancelled_version)
            """, new { ClinicId = clinicId, SessionId = sessionId, StartsAt = startsAt, TimeZone = timeZone, Version = version ?? 0, Now = now },
            tx, cancellationToken: ct));

    /// <summary>
    /// Makes patients present (or removed) where <paramref name="supersedes"/> says the report is newer than the
    /// membership held for them; a patient with no row yet always takes the report. Returns the patients it changed.
    /// </summary>
    public static async Task<Guid[]> ApplyMembership(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, IEnumerable<Guid> patients,
        bool present, long? version, Func<long?, long, bool> supersedes, DateTimeOffset now, CancellationToken ct)
    {
        var reported = patients.Distinct().ToArray();
        var held = (await conn.QueryAsync<(Guid PatientId, long Version)>(new CommandDefinition("""
            select patient_id, version from session_participant
            where clinic_id = @ClinicId and session_id = @SessionId and patient_id = any(@Patients)
            """, new { ClinicId = clinicId, SessionId = sessionId, Patients = reported }, tx, cancellationToken: ct)))
            .ToDictionary(m => m.PatientId, m => m.Version);
        var changed = reported.Where(p => !held.TryGetValue(p, out var kept) || supersedes(version, kept)).ToArray();
        if (changed.Length == 0) return changed;
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into session_participant (clinic_id, session_id, patient_id, removed_at, version)
            select @ClinicId, @SessionId, p, @RemovedAt, @Version from unnest(@Patients) as p
            on conflict (clinic_id, session_id, patient_id) do update set removed_at = excluded.removed_at, version = excluded.version
            """, new { ClinicId = clinicId, SessionId = sessionId, Patients = changed, RemovedAt = present ? (DateTimeOffset?)null : now, Version = version ?? 0 },
            tx, cancellationToken: ct));
        return changed;
    }

    /// <summary>
    /// Brings the session's messages in line with the copy, each step one statement over the whole session:
    /// <list type="bullet">
    /// <item>reminders not yet sent (pending, or suppressed by quiet hours) that no longer fit (the session was cancelled or
    /// moved, the patient left, the program's plan has other offsets) are withdrawn with the reason;</item>
    /// <item>each present patient of a live session gets the plan's reminders at its current start, those already past
    /// left out; one already sent, or held by a dispatcher, is never planned again (the unique index keeps it);</item>
    /// <item>a cancelled session's present patients get one cancellation notice each (not one whose booked makeup was
    /// reopened instead), and its pending outreach (we missed you, the supporters' notes, the makeup options, a waitlist
    /// seat) is withdrawn, as are pending notices and seat confirmations of patients no longer present.</item>
    /// </list>
    /// A reminder or outreach a dispatcher has claimed but not begun to send is withdrawn as if pending
    /// (<see cref="DeliveryQueue.NotBegun"/>), so a session created and cancelled at once sends nothing even when the
    /// cancellation is consumed after the reminder was claimed.
    /// </summary>
    public async Task Reconcile(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, DateTimeOffset now, CancellationToken ct)
    {
        var session = await conn.QuerySingleOrDefaultAsync<HeldSession>(new CommandDefinition("""
            select starts_at, time_zone, program_id, times_version, cancelled_at is not null as cancelled
            from session where clinic_id = @ClinicId and id = @SessionId
            """, new { ClinicId = clinicId, SessionId = sessionId }, tx, cancellationToken: ct));
        if (session is null) return; // no report with times or a cancellation yet: nothing was planned, nothing can be
        var present = (await conn.QueryAsync<Guid>(new CommandDefinition("""
            select patient_id from session_participant where clinic_id = @ClinicId and session_id = @SessionId and removed_at is null
            """, new { ClinicId = clinicId, SessionId = sessionId }, tx, cancellationToken: ct))).ToArray();

        var plan = session is { Cancelled: false, ProgramId: { } program } ? await ReminderPlans.Find(conn, tx, clinicId, program, ct) : null;
        var offsets = plan?.Offsets ?? options.Value.EffectiveReminderOffsets;
        var joinAlert = plan?.JoinAlertOffset;
        // Every reminder the plan has for the session, past ones included: one still pending after its time is on its way, not out of date.
        IReadOnlyList<PlannedReminder> planned = session.Cancelled ? [] : ReminderPlanner.Plan(session.StartsAt, offsets, DateTimeOffset.MinValue, joinAlert);

        await conn.ExecuteAsync(new CommandDefinition($"""
            update delivery d
            set status = 'cancelled', {DeliveryQueue.ClearClaim},
                detail = case when @Cancelled then 'The session was cancelled.'
                              when not (d.patient_id = any(@Present)) then 'The patient left the session.'
                              when d.session_starts_at is distinct from @StartsAt or d.time_zone is distinct from @TimeZone then 'The session was rescheduled.'
                              else 'The reminder plan of the session''s program applies.' end
            where d.clinic_id = @ClinicId and d.session_id = @SessionId and d.kind in ('reminder', 'joinAlert')
              and (d.status = 'suppressed' or {DeliveryQueue.NotBegun})
              and (@Cancelled or not (d.patient_id = any(@Present))
                   or d.session_starts_at is distinct from @StartsAt or d.time_zone is distinct from @TimeZone
                   or not exists (select 1 from unnest(@PlannedKinds, @PlannedOffsets) as w(kind, reminder_offset)
                                  where w.kind = d.kind and w.reminder_offset = d.reminder_offset))
            """, new
        {
            ClinicId = clinicId, SessionId = sessionId, session.Cancelled, Present = present, session.StartsAt, session.TimeZone,
            PlannedKinds = planned.Select(r => KindName(r.Kind)).ToArray(), PlannedOffsets = planned.Select(r => r.Offset).ToArray()
        }, tx, cancellationToken: ct));

        if (session.Cancelled)
        {
            await NoticeCancellation(conn, tx, clinicId, sessionId, session, present, now, ct);
            return;
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            update delivery set status = 'cancelled', detail = 'The patient left the session.'
            where clinic_id = @ClinicId and session_id = @SessionId and kind in ('sessionCancelled', 'waitlistPromoted') and status = 'pending'
              and not (patient_id = any(@Present))
            """, new { ClinicId = clinicId, SessionId = sessionId, Present = present }, tx, cancellationToken: ct));
        await PlanReminders(conn, tx, clinicId, sessionId, session, ReminderPlanner.Plan(session.StartsAt, offsets, now, joinAlert), present, now, ct);
    }

    static async Task NoticeCancellation(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, HeldSession session, Guid[] present,
        DateTimeOffset now, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition($"""
            update delivery set status = 'cancelled', {DeliveryQueue.ClearClaim}, detail = 'The session was cancelled.'
            where clinic_id = @ClinicId and session_id = @SessionId and {DeliveryQueue.NotBegun}
              and kind in ('missedSession', 'supportUpdate', 'makeupOptions', 'waitlistPromoted');
            update delivery set status = 'cancelled', detail = 'The patient left the session.'
            where clinic_id = @ClinicId and session_id = @SessionId and kind = 'sessionCancelled' and status = 'pending'
              and not (patient_id = any(@Present));
            insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, session_starts_at, time_zone, due_at, status, created_at)
            select gen_random_uuid(), @ClinicId, p, @SessionId, 'sessionCancelled', 'email', @StartsAt, @TimeZone, @Now, 'pending', @Now
            from unnest(@Present) as p
            where not exists (select 1 from delivery r
                              where r.clinic_id = @ClinicId and r.session_id = @SessionId and r.patient_id = p
                                and r.kind in ('sessionCancelled', 'makeupReopened') and r.status <> 'cancelled')
            on conflict do nothing
            """, new { ClinicId = clinicId, SessionId = sessionId, session.StartsAt, session.TimeZone, Present = present, Now = now },
            tx, cancellationToken: ct));

    /// <summary>Plans reminders for the present patients, out of their quiet hours; those a row already stands for are left alone.</summary>
    static async Task PlanReminders(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, HeldSession session,
        IReadOnlyList<PlannedReminder> reminders, Guid[] patientIds, DateTimeOffset now, CancellationToken ct)
    {
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
    }

    static string KindName(DeliveryKind kind) => kind == DeliveryKind.JoinAlert ? "joinAlert" : "reminder";

    /// <summary>A planned reminder for one patient, kept out of their quiet hours: moved earlier, or suppressed with the reason.</summary>
    static PlannedRow Planned(Guid patientId, PlannedReminder reminder, QuietHoursRow? quiet, DateTimeOffset now)
    {
        var kind = KindName(reminder.Kind);
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
}

/// <summary>A report's times for a session, with the session's version after the change it reports.</summary>
public sealed record SessionTimes(Guid ClinicId, Guid SessionId, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string TimeZone, long? Version);
