-- Reminders follow the session: who takes part (fed by SessionScheduled and the participant events), its program
-- (whose plan applies when it moves or gains a patient), and whether it was cancelled.
alter table session add column program_id uuid, add column cancelled_at timestamptz;

create table session_participant (
    clinic_id  uuid not null,
    session_id uuid not null,
    patient_id uuid not null,
    removed_at timestamptz,
    primary key (clinic_id, session_id, patient_id)
);
insert into session_participant (clinic_id, session_id, patient_id)
select distinct clinic_id, session_id, patient_id from delivery where kind in ('reminder', 'joinAlert')
on conflict do nothing;

-- A cancelled reminder (session moved, cancelled, or the patient left it) no longer counts against planning one anew.
drop index delivery_once;
create unique index delivery_once on delivery (clinic_id, session_id, patient_id, kind, coalesce(reminder_offset, interval '0'))
    where status <> 'cancelled';

alter table delivery drop constraint delivery_status_check;
alter table delivery add constraint delivery_status_check
    check (status in ('pending', 'sending', 'sent', 'failed', 'skipped', 'suppressed', 'cancelled'));
alter table delivery drop constraint delivery_kind_check;
alter table delivery add constraint delivery_kind_check check (kind in ('reminder', 'joinAlert', 'missedSession', 'sessionCancelled'));
