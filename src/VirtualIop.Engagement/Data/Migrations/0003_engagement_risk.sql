-- Engagement's own copy of each patient's session outcomes, fed by Attendance's events; the pattern rules read it.
-- precedence: which source may overwrite which (see AttendanceOutcomes), so events arriving out of order settle the same way.
create table attendance_outcome (
    clinic_id       uuid        not null,
    patient_id      uuid        not null,
    session_id      uuid        not null,
    starts_at       timestamptz not null,
    time_zone       text,
    outcome         text        not null check (outcome in ('attended', 'missed', 'excused')),
    reason_category text,
    precedence      int         not null,
    updated_at      timestamptz not null,
    primary key (clinic_id, patient_id, session_id)
);
create index attendance_outcome_by_patient on attendance_outcome (clinic_id, patient_id, starts_at);

-- Each patient's current risk and the signals that explain it. The row is also the lock that serialises
-- evaluations of one patient.
create table patient_risk (
    clinic_id    uuid        not null,
    patient_id   uuid        not null,
    level        text        not null check (level in ('none', 'low', 'moderate', 'high')),
    signals      jsonb       not null,
    evaluated_at timestamptz not null,
    primary key (clinic_id, patient_id)
);
create index patient_risk_by_level on patient_risk (clinic_id, level);
