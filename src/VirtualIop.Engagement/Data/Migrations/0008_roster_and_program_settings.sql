-- Engagement's copy of who belongs where, fed by Scheduling's events: each session's program, cohort and clinician,
-- and each patient's current program, cohort and clinician (from the latest-starting session that names them).
create table session_roster (
    clinic_id    uuid        not null,
    session_id   uuid        not null,
    program_id   uuid,
    cohort_id    uuid,
    clinician_id uuid,
    starts_at    timestamptz not null,
    primary key (clinic_id, session_id)
);
create index session_roster_by_program on session_roster (clinic_id, program_id);

create table patient_roster (
    clinic_id    uuid        not null,
    patient_id   uuid        not null,
    program_id   uuid,
    cohort_id    uuid,
    clinician_id uuid,
    as_of        timestamptz not null,
    updated_at   timestamptz not null,
    primary key (clinic_id, patient_id)
);
create index patient_roster_by_cohort on patient_roster (clinic_id, cohort_id);
create index patient_roster_by_clinician on patient_roster (clinic_id, clinician_id);

-- The pattern rules' thresholds per program (Domain: PatternSettings); a program without a row uses the defaults.
create table program_pattern_settings (
    clinic_id                     uuid          not null,
    program_id                    uuid          not null,
    consecutive_misses            int           not null,
    consecutive_misses_high       int           not null,
    misses_in_window              int           not null,
    window_days                   int           not null,
    attendance_threshold          numeric(4, 3) not null,
    minimum_sessions_for_rate     int           not null,
    same_slot_absences            int           not null,
    technical_difficulty_absences int           not null,
    low_motivation_absences       int           not null,
    homework_overdue_days         int           not null,
    suggest_family_involvement    boolean       not null,
    updated_by                    text          not null,
    updated_at                    timestamptz   not null,
    primary key (clinic_id, program_id)
);
