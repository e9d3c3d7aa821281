using Dapper;
using Npgsql;

namespace VirtualIop.Notification.Data;

/// <summary>A safety check escalated to the program's on-call contact (ids only, for the log).</summary>
public sealed record EscalatedSafetyCheck(Guid ClinicId, Guid TaskId, Guid? ProgramId, bool OnCallKnown);

/// <summary>
/// The safety checks whose due time came without an acknowledgement, each escalated once: one statement claims them
/// (FOR UPDATE SKIP LOCKED, so replicas never take the same one), marks them escalated and queues an SMS and an email to
/// the program's on-call contact, for the dispatcher to send. A program without an on-call contact gets the alerts
/// recorded as skipped (reason noOnCall), so the clinic sees that nobody could be told.
/// </summary>
public sealed class SafetyEscalations(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<EscalatedSafetyCheck>> EscalateDue(DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<EscalatedSafetyCheck>(new CommandDefinition("""
            with due as (
                select clinic_id, task_id
                from safety_check
                where opened_at is not null and acknowledged_at is null and escalated_at is null and due_by <= @Now
                order by due_by
                limit @BatchSize
                for update skip locked
            ), escalated as (
                update safety_check s set escalated_at = @Now
                from due
                where s.clinic_id = due.clinic_id and s.task_id = due.task_id
                returning s.clinic_id, s.task_id, s.patient_id, s.program_id
            ), contact as (
                select e.*, oc.program_id is not null as on_call_known
                from escalated e
                left join program_on_call oc on oc.clinic_id = e.clinic_id and oc.program_id = e.program_id
            ), queued as (
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, recipient, recipient_id, topic, due_at, status,
                                      detail, reason_code, created_at)
                select gen_random_uuid(), c.clinic_id, c.patient_id, null, 'safetyAlert', ch.channel, 'onCall', c.program_id,
                       'safetyEscalation:' || c.task_id, @Now,
                       case when c.on_call_known then 'pending' else 'skipped' end,
                       case when c.on_call_known then null else 'No on-call contact set for the patient''s program.' end,
                       case when c.on_call_known then null else 'noOnCall' end, @Now
                from contact c
                cross join (values ('sms'), ('email')) as ch (channel)
            )
            select clinic_id, task_id, program_id, on_call_known from contact
            """, new { Now = now, BatchSize = batchSize }, cancellationToken: ct));
        return rows.AsList();
    }
}
