using Dapper;
using Npgsql;

namespace VirtualIop.Attendance.Data;

public sealed class NoShows(NpgsqlDataSource db)
{
    /// <summary>
    /// One pass of the no-show sweep, as ONE set-based statement: claim up to <paramref name="batchSize"/> sessions whose
    /// grace has passed (FOR UPDATE SKIP LOCKED, so concurrent sweeps on other replicas take other sessions), mark them
    /// swept, turn their pending records into noShow (everything decided stays as it is), write one SessionMissed outbox row per
    /// no-show, and queue each swept session of a program for the policy evaluator (one row per session: the evaluator
    /// expands it into its no-shows). A swept session is never claimed again, so no-shows are decided and announced
    /// exactly once. A check-in racing the sweep locks the same record: whichever commits first wins, and the sweep
    /// re-checks outcome = 'pending' on the committed row.
    /// </summary>
    /// <remarks>
    /// Speed (100,000 records due at once): what a SessionMissed body shares with its session is built once per session
    /// in <c>due</c>, and each no-show's event id is a name-based id, the MD5 of its session, the sweep's time and its
    /// patient (<c>event_seed</c> || patient), about ten times cheaper per row than gen_random_uuid() and unique because a
    /// record is swept at most once per sweep time. The record update stays in place (HOT, no index touched) thanks to
    /// the table's fillfactor (migration 0011), and the outbox appends by position (BuildingBlocks migration 0002).
    /// <c>missed</c> carries each event's finished parts to the insert, so no second join or sort is needed.
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
                           'detectedAt', @Now) as missed_body,
                       id::text || @Now::text as event_seed
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
                returning md5(due.event_seed || r.patient_id::text)::uuid as event_id, r.patient_id, due.missed_body
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
                       jsonb_build_object('eventId', m.event_id, 'patientId', m.patient_id) || m.missed_body,
                       @Now
                from missed m
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
