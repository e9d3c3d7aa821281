-- Advance notices of absence, from the patient (through the clinic's app) or staff on their behalf.
-- A withdrawn notice is kept (withdrawn_at set), so the record of what was said and when stays whole.
create table absence_notice (
    clinic_id       uuid        not null,
    id              uuid        not null,
    session_id      uuid        not null,
    patient_id      uuid        not null,
    reason_category text        not null check (reason_category in
        ('technicalDifficulty', 'schedulingConflict', 'illness', 'emergency', 'lowMotivation', 'other')),
    notes           text,                  -- free text; never leaves this service
    notified_by     text        not null check (notified_by in ('patient', 'staff')),
    recorded_by     text        not null,  -- the partner client that sent it
    notified_at     timestamptz not null,
    excused         boolean     not null,  -- decided by the policy in force when the notice came
    withdrawn_at    timestamptz,
    primary key (clinic_id, id),
    foreign key (clinic_id, session_id, patient_id) references attendance_record (clinic_id, session_id, patient_id) on delete cascade
);
-- At most one notice in force per patient and session.
create unique index absence_notice_one_active on absence_notice (clinic_id, session_id, patient_id) where withdrawn_at is null;
create index absence_notice_patient on absence_notice (clinic_id, patient_id);

-- The notice that decided the record's absence, if any.
alter table attendance_record add column notice_id uuid;
