using Dapper;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Engagement;

namespace VirtualIop.Notification.Data;

/// <summary>
/// Notification's side of a safety check, in whatever order its events arrive. When Engagement opens one, the patient's
/// clinician is alerted at once by SMS and by email (kind safetyAlert, due now: clinicians have no quiet hours, and
/// these are never planned around the patient's), and the patient's automated messages about that session still to go
/// out (we missed you, makeup options, absence acknowledgement, technical help) are held; those queued later are held as
/// they are queued (trigger hold_for_safety_check). When the clinician acknowledges it, the held messages are cancelled:
/// the clinician has taken the contact with the patient into their own hands, and an automated word after an emergency
/// could land badly. An acknowledgement heard of before the opening is kept, so the opening then alerts no one.
/// </summary>
public sealed class SafetyAlerts(Inbox inbox, TimeProvider clock)
{
    public const string HeldKinds = "('missedSession', 'absenceAcknowledged', 'makeupOptions', 'technicalSupport')";

    public Task<bool> Open(SafetyCheckOpened opened, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(opened, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var acknowledged = await conn.QuerySingleAsync<bool>(new CommandDefinition("""
                insert into safety_check (clinic_id, task_id, patient_id, session_id, clinician_id, program_id, due_by, opened_at)
                values (@ClinicId, @TaskId, @PatientId, @SessionId, @ClinicianId, @ProgramId, @DueBy, @OpenedAt)
                on conflict (clinic_id, task_id) do update
                    set session_id = excluded.session_id, clinician_id = excluded.clinician_id, program_id = excluded.program_id,
                        due_by = excluded.due_by, opened_at = excluded.opened_at
                returning acknowledged_at is not null
                """, new { opened.ClinicId, opened.TaskId, opened.PatientId, opened.SessionId, opened.ClinicianId, opened.ProgramId, opened.DueBy, opened.OpenedAt },
                tx, cancellationToken: ct));
            if (acknowledged) return;
            await conn.ExecuteAsync(new CommandDefinition($"""
                update delivery set status = 'held', detail = 'Held for the clinician while a safety check about this session is open.'
                where clinic_id = @ClinicId and patient_id = @PatientId and session_id = @SessionId and recipient = 'patient'
                  and status = 'pending' and kind in {HeldKinds};

                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, recipient, recipient_id, topic, due_at, status,
                                      detail, reason_code, created_at)
                select gen_random_uuid(), @ClinicId, @PatientId, null, 'safetyAlert', ch.channel, 'clinician', k.clinician_id, @Topic, @Now,
                       case when k.clinician_id is null then 'skipped' else 'pending' end,
                       case when k.clinician_id is null then 'No clinician on record for the patient (no session with a clinician received yet).' end,
                       case when k.clinician_id is null then 'noClinician' end, @Now
                from (select coalesce(@ClinicianId, (
                          select s.clinician_id
                          from session_participant p
                          join session s on s.clinic_id = p.clinic_id and s.id = p.session_id
                          where p.clinic_id = @ClinicId and p.patient_id = @PatientId and s.clinician_id is not null and s.cancelled_at is null
                          order by s.starts_at desc
                          limit 1)) as clinician_id) k
                cross join (values ('sms'), ('email')) as ch (channel);
                """, new { opened.ClinicId, opened.PatientId, opened.SessionId, opened.ClinicianId, Topic = $"safetyCheck:{opened.TaskId}", Now = now },
                tx, cancellationToken: ct));
        }, ct);

    public Task<bool> Acknowledge(SafetyCheckAcknowledged acknowledged, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(acknowledged, inboxKey, async (conn, tx) =>
        {
            var session = await conn.QuerySingleAsync<Guid?>(new CommandDefinition("""
                insert into safety_check (clinic_id, task_id, patient_id, acknowledged_at)
                values (@ClinicId, @TaskId, @PatientId, @AcknowledgedAt)
                on conflict (clinic_id, task_id) do update set acknowledged_at = coalesce(safety_check.acknowledged_at, excluded.acknowledged_at)
                returning session_id
                """, new { acknowledged.ClinicId, acknowledged.TaskId, acknowledged.PatientId, acknowledged.AcknowledgedAt }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition("""
                update delivery set status = 'cancelled', detail = 'Held during a safety check; the clinician acknowledged it and took over contact with the patient.'
                where clinic_id = @ClinicId and patient_id = @PatientId and session_id = @SessionId and status = 'held';

                update delivery set status = 'cancelled', detail = 'The clinician acknowledged the safety check before the escalation went out.'
                where clinic_id = @ClinicId and patient_id = @PatientId and kind = 'safetyAlert' and recipient = 'onCall'
                  and topic = @Topic and status = 'pending';
                """, new { acknowledged.ClinicId, acknowledged.PatientId, SessionId = session, Topic = $"safetyEscalation:{acknowledged.TaskId}" },
                tx, cancellationToken: ct));
        }, ct);
}
