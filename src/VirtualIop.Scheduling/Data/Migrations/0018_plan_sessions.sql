-- The individual sessions a patient's treatment plan booked (modality individual or hybrid), so that a later change of
-- modality cancels only those and never a one-on-one booked another way (a makeup, a motivational interview).
create table plan_session (
    clinic_id  uuid        not null,
    session_id uuid        not null,
    patient_id uuid        not null,
    booked_at  timestamptz not null,
    primary key (clinic_id, session_id),
    foreign key (clinic_id, session_id) references session (clinic_id, id)
);
create index plan_session_patient on plan_session (clinic_id, patient_id);
