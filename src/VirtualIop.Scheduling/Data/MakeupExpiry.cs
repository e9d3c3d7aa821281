using Dapper;
using Npgsql;

namespace VirtualIop.Scheduling.Data;

public sealed class MakeupExpiry(NpgsqlDataSource db)
{
    /// <summary>
    /// One pass of the expiry, as ONE statement: claim up to <paramref name="batchSize"/> makeups past their expiry that
    /// are still open (offered, waitlisted or watching a recording) with FOR UPDATE SKIP LOCKED, so replicas take different
    /// rows; take them off any waitlist, mark them expired and write one MakeupExpired outbox row each. A booked makeup
    /// (its session is on the calendar) and a completed one never expire; an expired one is never claimed again.
    /// </summary>
    /// <returns>How many makeups expired.</returns>
    public async Task<int> ExpireDue(DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            with due as materialized (
                select clinic_id, id from makeup
                where status in ('offered', 'waitlisted', 'watching') and expires_at <= @Now
                order by expires_at
                limit @BatchSize
                for update skip locked
            ),
            unlisted as (
                delete from waitlist_entry w using due d where w.clinic_id = d.clinic_id and w.makeup_id = d.id
            ),
            expired as (
                update makeup m set status = 'expired', expired_at = @Now, version = m.version + 1
                from due d
                where m.clinic_id = d.clinic_id and m.id = d.id
                returning gen_random_uuid() as event_id, m.clinic_id, m.id, m.missed_session_id, m.patient_id, m.version
            ),
            announced as (
                insert into outbox_message (id, message_type, body, occurred_at)
                select e.event_id,
                       'VirtualIop.Contracts.Scheduling.MakeupExpired',
                       jsonb_build_object(
                           'eventId', e.event_id,
                           'clinicId', e.clinic_id,
                           'makeupId', e.id,
                           'missedSessionId', e.missed_session_id,
                           'patientId', e.patient_id,
                           'expiredAt', @Now,
                           'version', e.version),
                       @Now
                from expired e
                returning id
            )
            select count(*)::int from announced
            """, new { Now = now, BatchSize = batchSize }, cancellationToken: ct));
    }
}
