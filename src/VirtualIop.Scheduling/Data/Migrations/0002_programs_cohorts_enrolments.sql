-- IOP tracks and their curriculum. Every row belongs to one clinic; every query names clinic_id.
create table program (
    clinic_id  uuid        not null,
    id         uuid        not null,
    name       text        not null,
    created_at timestamptz not null,
    primary key (clinic_id, id)
);

-- The curriculum, in teaching order; a series hands topics to its occurrences in this order.
create table program_topic (
    clinic_id  uuid not null,
    program_id uuid not null,
    id         uuid not null,
    position   int  not null,
    title      text not null,
    kind       text not null,
    primary key (clinic_id, id),
    unique (clinic_id, program_id, position),
    foreign key (clinic_id, program_id) references program (clinic_id, id)
);

-- Therapy groups within a program.
create table cohort (
    clinic_id                uuid        not null,
    id                       uuid        not null,
    program_id               uuid        not null,
    name                     text        not null,
    facilitator_clinician_id uuid        not null,
    capacity                 int         not null check (capacity between 1 and 50),
    time_zone                text        not null,  -- IANA id: the series' wall-clock times are in this zone
    created_at               timestamptz not null,
    primary key (clinic_id, id),
    foreign key (clinic_id, program_id) references program (clinic_id, id)
);

-- A patient's membership of a cohort; ended_at is set by discharge or transfer, and the history stays.
create table enrolment (
    clinic_id   uuid        not null,
    id          uuid        not null,
    program_id  uuid        not null,
    cohort_id   uuid        not null,
    patient_id  uuid        not null,
    enrolled_at timestamptz not null,
    ended_at    timestamptz,
    end_reason  text,       -- discharged | transferred
    primary key (clinic_id, id),
    foreign key (clinic_id, cohort_id) references cohort (clinic_id, id),
    check ((ended_at is null) = (end_reason is null))
);
-- A patient is in at most one cohort of a program at a time: enrolling twice is refused by the database.
create unique index enrolment_active_once_per_program on enrolment (clinic_id, program_id, patient_id) where ended_at is null;
create index enrolment_active_roster on enrolment (clinic_id, cohort_id, enrolled_at) where ended_at is null;
