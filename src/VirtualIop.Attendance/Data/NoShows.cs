using Dapper;
using Npgsql;

namespace VirtualIop.Attendance.Data;

public sealed class NoShows(NpgsqlDataSource db)
{
    /// <summary>
    /// One pass of the no-show sweep, as ONE set-based statement: claim up to <paramref name="batchSize"/> sessions whose
    /// grace has passed (FOR UPDATE SKIP LOCKED, so concurrent sweeps on other replicas take other sessions), mark them
    /// swept, turn their pending records into noShow (AttendanceRules.AfterSweep), write one SessionMissed outbox row per
    /// no-show, and queue each swept session of a program for the policy evaluator (one row per session: the evaluator
    /// expands it into its no-shows). A swept session is never claimed again, so no-shows are decided and announced
    /// exactly once. A check-in racing the sweep locks the same record: whichever commits first wins, and the sweep
    /// re-checks outcome = 'pending' on the committed row.
    /// </summary>
    /// <remarks>
    /// What a SessionMissed body shares with its session (clinic, session, start, time zone, detection time) is built
    /// once per session in <c>due</c>; each no-show only adds its event id and patient id. <c>missed</c> returns ids
    /// alone, so the rows kept between the update and the outbox insert stay narrow.
    /// </remarks>
    /// <returns>How many sessions the pass swept (the worker runs again at once when this fills the batch).</returns>
    public async Task<SweepResult> SweepDue(DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<SweepResult>(new CommandDefinition("""
            with due as materialized (
                select clinic_id, id, program_id,
                       jsonb_build_object(
                           'clinicId', clinic_id,
                           'sessionId', id,
                           'sessionStartsAt', starts_at,
                           'timeZone', time_zone,
                           'detectedAt', @Now) as missed_body
                from attendance_session
                where swept_at is null and cancelled_at is null and no_show_due_at <= @Now
                order by no_show_due_at
                limit @BatchSize
                for update skip locked
            ),
            swept as (
                update attendance_session s set swept_at = @Now
                from due
                where s.clinic_id = due.clinic_id and s.id = due.id
                returning s.id
            ),
            missed as (
                update attendance_record r set outcome = 'noShow', decided_at = @Now, recorded_by = 'noShowSweep', recorded_at = @Now
                from due
                where r.clinic_id = due.clinic_id and r.session_id = due.id and r.outcome = 'pending'
                returning gen_random_uuid() as event_id, r.clinic_id, r.session_id, r.patient_id
            ),
            queued as (
                insert into policy_session_queue (clinic_id, session_id, program_id, queued_at)
                select due.clinic_id, due.id, due.program_id, @Now
                from due
                where due.program_id is not null
                on conflict do nothing
            ),
            announced as (
                insert into outbox_message (id, message_type, body, occurred_at)
                select m.event_id,
                       'VirtualIop.Contracts.Attendance.SessionMissed',
                       jsonb_build_object('eventId', m.event_id, 'patientId', m.patient_id) || due.missed_body,
                       @Now
                from missed m
                join due on due.clinic_id = m.clinic_id and due.id = m.session_id
                returning id
            )
            select (select count(*) from swept)::int as sessions, (select count(*) from announced)::int as no_shows
            """, new { Now = now, BatchSize = batchSize }, cancellationToken: ct));
    }
}

public sealed class SweepResult
{
    public int Sessions { get; set; }
    public int NoShows { get; set; }
}
