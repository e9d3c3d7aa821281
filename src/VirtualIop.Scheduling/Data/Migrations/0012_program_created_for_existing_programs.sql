-- Programs created before Scheduling published ProgramCreated: enqueue the event for each, so that Attendance,
-- Notification and Engagement learn every existing program and accept its settings. The row has the shape
-- Outbox.Add writes (the body as IntegrationEventSerializer's camelCase JSON, its eventId the row's id), so the relay
-- publishes it like any other; consumers take each program once, whatever else told them of it first.
insert into outbox_message (id, message_type, body, occurred_at)
select e.event_id, 'VirtualIop.Contracts.Scheduling.ProgramCreated',
       jsonb_build_object('eventId', e.event_id, 'clinicId', e.clinic_id, 'programId', e.id, 'createdAt', e.created_at),
       now()
from (select gen_random_uuid() as event_id, clinic_id, id, created_at from program order by created_at, id) e;
