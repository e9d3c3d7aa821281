-- A clinician's to-do about one patient, opened by what happened (for now: a missed session).
create table follow_up_task (
    id         uuid        primary key,
    clinic_id  uuid        not null,
    patient_id uuid        not null,
    session_id uuid        not null,
    reason     text        not null check (reason in ('sessionMissed')),
    status     text        not null check (status in ('open')),
    created_at timestamptz not null,
    due_by     timestamptz not null
);

-- One task per patient, session and reason, however often the event that opens it arrives.
create unique index follow_up_task_once on follow_up_task (clinic_id, session_id, patient_id, reason);
create index follow_up_task_by_patient on follow_up_task (clinic_id, patient_id, created_at);
create index follow_up_task_by_status on follow_up_task (clinic_id, status, due_by);
