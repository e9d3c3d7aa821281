-- What a facilitator recorded after a session: key points, homework and resources. One row per session; recording
-- it again replaces it.
create table session_content (
    clinic_id             uuid        not null,
    session_id            uuid        not null,
    topic_id              uuid,
    key_points            text[]      not null,
    homework_title        text,
    homework_instructions text,
    homework_due_on       date,
    recording_url         text,
    peer_support_url      text,
    -- The items a patient who missed the session goes through (Domain: SessionContent.Items).
    item_kinds            text[]      not null,
    recorded_by           text        not null,
    recorded_at           timestamptz not null,
    primary key (clinic_id, session_id)
);

-- A patient's missed content for one session: created on the miss (or notice), assigned once content exists,
-- addressed when completed, made up or waived. Until then the patient is flagged catch-up required.
create table continuity_package (
    id             uuid        primary key,
    clinic_id      uuid        not null,
    patient_id     uuid        not null,
    session_id     uuid        not null,
    cause          text        not null check (cause in ('sessionMissed', 'absenceNotified')),
    created_at     timestamptz not null,
    assigned_at    timestamptz,
    addressed_at   timestamptz,
    addressed_how  text check (addressed_how in ('completed', 'madeUp', 'waived')),
    waiver_reason  text,
    addressed_by   text,
    check ((addressed_at is null) = (addressed_how is null)),
    check (addressed_how is distinct from 'waived' or waiver_reason is not null)
);
-- One package per patient and session, whether the miss, the notice or both arrive.
create unique index continuity_package_once on continuity_package (clinic_id, session_id, patient_id);
create index continuity_package_by_patient on continuity_package (clinic_id, patient_id, created_at);

-- Each item of an assigned package and how far the patient got with it (reported by the clinic's app).
create table continuity_item (
    package_id uuid        not null references continuity_package (id),
    kind       text        not null check (kind in ('summary', 'homework', 'recording', 'peerSupport')),
    opened_at  timestamptz,
    done_at    timestamptz,
    primary key (package_id, kind)
);

-- Who read which patient's data, and when: one row per patient per read.
create table patient_data_read (
    id         bigint      generated always as identity primary key,
    clinic_id  uuid        not null,
    patient_id uuid        not null,
    client_id  text        not null,
    resource   text        not null,
    read_at    timestamptz not null
);
create index patient_data_read_by_patient on patient_data_read (clinic_id, patient_id, read_at);
