-- Each program's attendance policy, set through the API. A program without one is held to PolicySettings.Default.
create table program_policy (
    clinic_id              uuid        not null,
    program_id             uuid        not null,
    window_days            int         not null,
    min_attendance_percent numeric(5,2) not null,
    max_excused_absences   int         not null,
    max_unexcused_absences int         not null,
    makeup_cancels_absence boolean     not null,
    updated_at             timestamptz not null,
    primary key (clinic_id, program_id)
);

-- Makeups Scheduling reports completed (MakeupCompleted): they may take an absence's weight away.
create table makeup_completion (
    clinic_id         uuid        not null,
    missed_session_id uuid        not null,
    patient_id        uuid        not null,
    makeup_id         uuid        not null,
    completed_at      timestamptz not null,
    primary key (clinic_id, missed_session_id, patient_id)
);

-- Patients whose standing must be evaluated again: every change enqueues here in its own transaction (the sweep in
-- its one statement), and the policy evaluator drains it with FOR UPDATE SKIP LOCKED.
create table policy_reevaluation (
    clinic_id  uuid        not null,
    program_id uuid        not null,
    patient_id uuid        not null,
    queued_at  timestamptz not null,
    primary key (clinic_id, program_id, patient_id)
);
create index policy_reevaluation_queue on policy_reevaluation (queued_at);

-- The last evaluated standing, to tell when it worsens (only then are AttendanceWarning / PolicyBreached sent).
create table policy_standing (
    clinic_id    uuid        not null,
    program_id   uuid        not null,
    patient_id   uuid        not null,
    status       text        not null check (status in ('goodStanding', 'atRisk', 'inBreach')),
    rules        jsonb       not null,
    evaluated_at timestamptz not null,
    primary key (clinic_id, program_id, patient_id)
);
