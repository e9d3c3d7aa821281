-- Engagement's copy of each patient's makeups, fed by Scheduling's MakeupBooked and MakeupCompleted (in any order):
-- the engagement score counts them.
create table makeup (
    clinic_id         uuid        not null,
    makeup_id         uuid        not null,
    patient_id        uuid        not null,
    missed_session_id uuid        not null,
    kind              text        not null,
    booked_at         timestamptz,
    completed_at      timestamptz,
    primary key (clinic_id, makeup_id)
);
create index makeup_by_patient on makeup (clinic_id, patient_id);
