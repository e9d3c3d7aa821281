-- Scheduled sessions. Every row belongs to one clinic; every query names clinic_id.
create table session (
    clinic_id  uuid        not null,
    id         uuid        not null,
    kind       text        not null,
    starts_at  timestamptz not null,
    ends_at    timestamptz not null,
    time_zone  text        not null,  -- IANA id, for display in the session's local time
    created_at timestamptz not null,
    primary key (clinic_id, id),
    check (ends_at > starts_at)
);
-- The listing: one clinic's sessions in a window of start instants.
create index session_clinic_starts on session (clinic_id, starts_at);

-- Who is expected at a session, in the order the clinic listed them.
create table session_participant (
    clinic_id  uuid not null,
    session_id uuid not null,
    patient_id uuid not null,
    position   int  not null,
    primary key (clinic_id, session_id, patient_id),
    foreign key (clinic_id, session_id) references session (clinic_id, id) on delete cascade
);
