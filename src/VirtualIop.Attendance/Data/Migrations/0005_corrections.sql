-- Every correction of an outcome, append-only: the record shows the current decision, this table how it came to be.
create table attendance_correction (
    clinic_id                uuid        not null,
    id                       uuid        not null,
    session_id               uuid        not null,
    patient_id               uuid        not null,
    previous_outcome         text        not null,
    previous_reason_category text,
    outcome                  text        not null,
    reason_category          text,
    explanation              text        not null,  -- why the clinician corrected it; never leaves this service
    corrected_by             text        not null,
    corrected_at             timestamptz not null,
    primary key (clinic_id, id),
    foreign key (clinic_id, session_id, patient_id) references attendance_record (clinic_id, session_id, patient_id) on delete cascade
);
create index attendance_correction_record on attendance_correction (clinic_id, session_id, patient_id, corrected_at);
