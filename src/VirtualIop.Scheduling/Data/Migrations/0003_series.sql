-- A cohort's recurring series: an RFC 5545 RRULE from a first start in local wall-clock time, in an IANA zone.
-- Occurrences are materialised as session rows up to materialised_until, which a worker rolls forward.
create table series (
    clinic_id          uuid        not null,
    id                 uuid        not null,
    cohort_id          uuid        not null,
    rrule              text        not null,
    first_start_local  timestamp   not null,  -- wall-clock time in time_zone, deliberately without an offset
    duration_minutes   int         not null,
    time_zone          text        not null,
    materialised_until timestamptz not null,
    created_at         timestamptz not null,
    primary key (clinic_id, id),
    foreign key (clinic_id, cohort_id) references cohort (clinic_id, id)
);
-- The horizon worker looks for series whose materialisation falls behind.
create index series_materialised_until on series (materialised_until);

-- Sessions now may belong to a program, cohort, topic and series; one-off sessions leave these null.
alter table session
    add column program_id       uuid,
    add column cohort_id        uuid,
    add column topic_id         uuid,
    add column clinician_id     uuid,
    add column series_id        uuid,
    add column occurrence_index int,
    add column status           text not null default 'scheduled',  -- scheduled | cancelled
    add column sequence         int  not null default 0;            -- bumped on every change (iCalendar SEQUENCE)
-- An occurrence is materialised once, however often the horizon worker passes over it.
create unique index session_series_occurrence on session (clinic_id, series_id, occurrence_index) where series_id is not null;
create index session_cohort_starts on session (clinic_id, cohort_id, starts_at) where cohort_id is not null;
