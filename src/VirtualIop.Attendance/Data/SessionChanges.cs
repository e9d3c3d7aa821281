using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.Attendance.Extensions;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.Data;

/// <summary>
/// Keeps Attendance's copy of a session in step with Scheduling, whatever order its events arrive in: a moved session is
/// swept at its new end, a cancelled one never, and the roster follows participants who join or leave. Each event
/// carries the session's version after its change (<see cref="SessionVersions"/>): the times are those of the newest
/// schedule or reschedule, a cancellation is final, and each patient's membership is that of the newest report about
/// them. A report about a session not known yet is kept (session_placeholder, session_membership) for the late
/// SessionScheduled, which adds only what nothing newer has decided. Records exist for the members of a known session
/// (a cancelled one keeps them undecided: the sweep never takes it). A session already swept is left as decided
/// (corrections handle the rare change after the fact).
/// Each change takes the session's lock (<see cref="SessionLock"/>) inside the inbox's transaction.
/// </summary>
public sealed class SessionChanges(Inbox inbox, AttendanceSessions sessions, TimeProvider clock, IOptions<AttendanceOptions> options)
{
    /// <summary>
    /// Stores the session (taking newer times and a cancellation from a placeholder), each listed patient's membership
    /// unless a newer report decided it, one pending record per member (the facilitator gets none), and applies the
    /// presence held for the session.
    /// </summary>
    /// <returns>false when this event had already been recorded.</returns>
    public Task<bool> RecordScheduled(SessionScheduled scheduled, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(scheduled, inboxKey, async (conn, tx) =>
        {
            var version = SessionVersions.Of(scheduled.Version);
            var args = new { scheduled.ClinicId, scheduled.SessionId };
            await SessionLock.Take(conn, tx, scheduled.ClinicId, scheduled.SessionId, ct);
            var early = await conn.QuerySingleOrDefaultAsync<PlaceholderRow>(new CommandDefinition("""
                delete from session_placeholder where clinic_id = @ClinicId and id = @SessionId
                returning version, times_version, starts_at, ends_at, time_zone, cancelled_at
                """, args, tx, cancellationToken: ct));
            var moved = early?.TimesVersion is { } movedVersion && SessionVersions.Applies(movedVersion, version) ? early : null;
            var endsAt = moved?.EndsAt ?? scheduled.EndsAt;
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into attendance_session (clinic_id, id, starts_at, ends_at, time_zone, no_show_due_at, recorded_at,
                                                kind, program_id, cohort_id, clinician_id, version, times_version, cancelled_at)
                values (@ClinicId, @SessionId, @StartsAt, @EndsAt, @TimeZone, @NoShowDueAt, @Now,
                        @Kind, @ProgramId, @CohortId, @ClinicianId, @Version, @TimesVersion, @CancelledAt)
                on conflict do nothing
                """,
                new
                {
                    scheduled.ClinicId, scheduled.SessionId,
                    StartsAt = moved?.StartsAt ?? scheduled.StartsAt, EndsAt = endsAt, TimeZone = moved?.TimeZone ?? scheduled.TimeZone,
                    NoShowDueAt = AttendanceRules.NoShowDueAt(endsAt, options.Value.NoShowGrace),
                    Now = clock.GetUtcNow(), scheduled.Kind, scheduled.ProgramId, scheduled.CohortId, scheduled.ClinicianId,
                    Version = Math.Max(version, early?.Version ?? version), TimesVersion = moved?.TimesVersion ?? version, early?.CancelledAt
                }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into session_membership as m (clinic_id, session_id, patient_id, version, removed)
                select distinct @ClinicId, @SessionId, p.patient_id, @Version, false
                from unnest(@PatientIds) as p(patient_id)
                where p.patient_id is distinct from @ClinicianId
                on conflict (clinic_id, session_id, patient_id) do update set version = excluded.version, removed = false
                where m.version < excluded.version
                """, new { scheduled.ClinicId, scheduled.SessionId, scheduled.ClinicianId, Version = version, PatientIds = scheduled.PatientIds.ToArray() },
                tx, cancellationToken: ct));
            // Listed patients in the order Scheduling gave, then those added before the roster came, in the order of their reports.
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into attendance_record (clinic_id, session_id, patient_id, position)
                select m.clinic_id, m.session_id, m.patient_id,
                       row_number() over (order by l.position nulls last, m.version, m.patient_id)
                from attendance_session s
                join session_membership m on m.clinic_id = s.clinic_id and m.session_id = s.id and not m.removed
                left join (select patient_id, min(position) as position
                           from unnest(@PatientIds) with ordinality as p(patient_id, position)
                           group by patient_id) l on l.patient_id = m.patient_id
                where s.clinic_id = @ClinicId and s.id = @SessionId and s.swept_at is null
                  and m.patient_id is distinct from s.clinician_id
                on conflict do nothing
                """, new { scheduled.ClinicId, scheduled.SessionId, PatientIds = scheduled.PatientIds.ToArray() }, tx, cancellationToken: ct));
            await KnownPrograms.Learn(conn, tx, scheduled.ClinicId, scheduled.ProgramId, clock.GetUtcNow(), ct);
            await ApplyHeldPresence(conn, tx, scheduled.ClinicId, scheduled.SessionId, patientId: null, ct);
        }, ct);

    public Task<bool> Reschedule(SessionRescheduled moved, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(moved, inboxKey, async (conn, tx) =>
        {
            var args = new
            {
                moved.ClinicId, moved.SessionId, moved.StartsAt, moved.EndsAt, moved.TimeZone, Version = SessionVersions.Of(moved.Version),
                NoShowDueAt = AttendanceRules.NoShowDueAt(moved.EndsAt, options.Value.NoShowGrace), Now = clock.GetUtcNow()
            };
            if (await Known(conn, tx, moved.ClinicId, moved.SessionId, ct))
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    update attendance_session
                    set starts_at = @StartsAt, ends_at = @EndsAt, time_zone = @TimeZone, no_show_due_at = @NoShowDueAt,
                        times_version = @Version, version = greatest(version, @Version)
                    where clinic_id = @ClinicId and id = @SessionId and swept_at is null and times_version <= @Version
                    """, args, tx, cancellationToken: ct));
                return;
            }
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into session_placeholder as p (clinic_id, id, version, received_at) values (@ClinicId, @SessionId, @Version, @Now)
                on conflict (clinic_id, id) do update set version = greatest(p.version, excluded.version);
                update session_placeholder
                set times_version = @Version, starts_at = @StartsAt, ends_at = @EndsAt, time_zone = @TimeZone
                where clinic_id = @ClinicId and id = @SessionId and (times_version is null or times_version <= @Version)
                """, args, tx, cancellationToken: ct));
        }, ct);

    /// <summary>A cancellation is final: the session is never swept, so nobody becomes a no-show for it.</summary>
    public Task<bool> Cancel(SessionCancelled cancelled, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(cancelled, inboxKey, async (conn, tx) =>
        {
            var args = new { cancelled.ClinicId, cancelled.SessionId, Version = SessionVersions.Of(cancelled.Version), Now = clock.GetUtcNow() };
            if (await Known(conn, tx, cancelled.ClinicId, cancelled.SessionId, ct))
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    update attendance_session set cancelled_at = coalesce(cancelled_at, @Now), version = greatest(version, @Version)
                    where clinic_id = @ClinicId and id = @SessionId and swept_at is null
                    """, args, tx, cancellationToken: ct));
                return;
            }
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into session_placeholder as p (clinic_id, id, version, cancelled_at, received_at)
                values (@ClinicId, @SessionId, @Version, @Now, @Now)
                on conflict (clinic_id, id) do update
                set version = greatest(p.version, excluded.version), cancelled_at = coalesce(p.cancelled_at, excluded.cancelled_at)
                """, args, tx, cancellationToken: ct));
        }, ct);

    /// <summary>The patient is a member unless a newer report says otherwise; a known session expects them, and their held presence applies.</summary>
    public Task<bool> AddParticipant(SessionParticipantAdded added, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(added, inboxKey, async (conn, tx) =>
        {
            await SessionLock.Take(conn, tx, added.ClinicId, added.SessionId, ct);
            if (!await Member(conn, tx, added.ClinicId, added.SessionId, added.PatientId, added.Version, removed: false, ct)) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into attendance_record (clinic_id, session_id, patient_id, position)
                select s.clinic_id, s.id, @PatientId,
                       coalesce((select max(r.position) from attendance_record r where r.clinic_id = s.clinic_id and r.session_id = s.id), 0) + 1
                from attendance_session s
                where s.clinic_id = @ClinicId and s.id = @SessionId and s.swept_at is null
                  and s.clinician_id is distinct from @PatientId
                on conflict do nothing
                """, new { added.ClinicId, added.SessionId, added.PatientId }, tx, cancellationToken: ct));
            await ApplyHeldPresence(conn, tx, added.ClinicId, added.SessionId, added.PatientId, ct);
        }, ct);

    /// <summary>The patient is no longer a member (a tombstone, even before the roster comes); an undecided record goes.</summary>
    public Task<bool> RemoveParticipant(SessionParticipantRemoved removed, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(removed, inboxKey, async (conn, tx) =>
        {
            await SessionLock.Take(conn, tx, removed.ClinicId, removed.SessionId, ct);
            if (!await Member(conn, tx, removed.ClinicId, removed.SessionId, removed.PatientId, removed.Version, removed: true, ct)) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                delete from attendance_record
                where clinic_id = @ClinicId and session_id = @SessionId and patient_id = @PatientId and outcome = 'pending'
                """, new { removed.ClinicId, removed.SessionId, removed.PatientId }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>Takes the session's lock, then tells whether its SessionScheduled has come.</summary>
    static async Task<bool> Known(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, CancellationToken ct)
    {
        await SessionLock.Take(conn, tx, clinicId, sessionId, ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from attendance_session where clinic_id = @Clinic and id = @SessionId)",
            new { Clinic = clinicId, SessionId = sessionId }, tx, cancellationToken: ct));
    }

    /// <returns>true when this report is the newest about the patient's membership, and was kept.</returns>
    static async Task<bool> Member(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid patientId, long? version,
        bool removed, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into session_membership as m (clinic_id, session_id, patient_id, version, removed)
            values (@Clinic, @SessionId, @PatientId, @Version, @Removed)
            on conflict (clinic_id, session_id, patient_id) do update set version = excluded.version, removed = excluded.removed
            where m.version <= excluded.version
            """, new { Clinic = clinicId, SessionId = sessionId, PatientId = patientId, Version = SessionVersions.Of(version), Removed = removed },
            tx, cancellationToken: ct)) == 1;

    /// <summary>
    /// Applies the joins and leaves held for the session (or for one patient of it), in the order they happened, as if they
    /// had come now; each one applied is no longer held. A patient not expected at the session keeps theirs held until
    /// their membership comes (or the retention passes).
    /// </summary>
    async Task ApplyHeldPresence(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid? patientId, CancellationToken ct)
    {
        foreach (var held in await PendingPresence.Held(conn, tx, clinicId, sessionId, patientId, ct))
        {
            var change = held.Change == "join" ? PresenceChange.Join : PresenceChange.Leave;
            var applied = held.ParticipantKind == "patient"
                ? (await sessions.RecordPatientPresence(conn, tx, clinicId, sessionId, held.ParticipantId, change, held.OccurredAt, held.RecordedBy, ct))
                  .Status == PresenceStatus.Recorded
                : await AttendanceSessions.RecordStaffPresence(conn, tx, clinicId, sessionId, held.ParticipantId, change, held.OccurredAt,
                    held.RecordedBy, clock.GetUtcNow(), ct) != StaffPresenceResult.Held;
            if (applied) await PendingPresence.Release(conn, tx, clinicId, sessionId, held, ct);
        }
    }

    sealed class PlaceholderRow
    {
        public long Version { get; set; }
        public long? TimesVersion { get; set; }
        public DateTimeOffset? StartsAt { get; set; }
        public DateTimeOffset? EndsAt { get; set; }
        public string? TimeZone { get; set; }
        public DateTimeOffset? CancelledAt { get; set; }
    }
}
