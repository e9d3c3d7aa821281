-- What a program offers after a missed session. A program without a row gets the defaults of MakeupSettings.Default.
create table program_makeup_settings (
    clinic_id                  uuid          not null,
    program_id                 uuid          not null,
    allowed_kinds              text[]        not null,  -- oneOnOne | extraGroupSlot | recording
    expiry_days                int           not null,
    search_window_days         int           not null,
    one_on_one_minutes         int           not null,
    recording_completion_share numeric(3, 2) not null,
    updated_at                 timestamptz   not null,
    primary key (clinic_id, program_id),
    foreign key (clinic_id, program_id) references program (clinic_id, id)
);

-- When a patient can attend a one-on-one makeup: weekly local hours in their IANA zone (replaced as a whole).
create table patient_preferred_hours (
    clinic_id    uuid        not null,
    patient_id   uuid        not null,
    time_zone    text        not null,
    weekly_hours jsonb       not null,  -- [{ "day": "Monday", "from": "17:00", "to": "21:00" }, ...]
    updated_at   timestamptz not null,
    primary key (clinic_id, patient_id)
);

-- An educational module's recording, set per session.
alter table session
    add column recording_url              text,
    add column recording_duration_minutes int;

-- A makeup for one patient's missed session: offered with the kinds the program allows, then booked (one-on-one or a
-- seat in another cohort's session), waitlisted for a full session, or watching a recording; completed or expired.
create table makeup (
    clinic_id          uuid        not null,
    id                 uuid        not null,
    missed_session_id  uuid        not null,
    patient_id         uuid        not null,
    program_id         uuid        not null,
    offered_kinds      text[]      not null,
    status             text        not null,  -- offered | waitlisted | booked | watching | completed | expired
    kind               text,                  -- the kind chosen, once chosen
    session_id         uuid,                  -- the makeup session (one-on-one) or the other cohort's session (seat, waitlist)
    minutes_watched    int         not null default 0,
    offered_at         timestamptz not null,
    expires_at         timestamptz not null,
    booked_at          timestamptz,
    completed_at       timestamptz,
    expired_at         timestamptz,
    primary key (clinic_id, id),
    -- A patient gets one makeup per missed session, whether Attendance reported a notice, a no-show or both.
    unique (clinic_id, missed_session_id, patient_id),
    foreign key (clinic_id, missed_session_id) references session (clinic_id, id)
);
create index makeup_patient on makeup (clinic_id, patient_id, offered_at);
-- The expiry worker scans only what can still expire.
create index makeup_expiring on makeup (expires_at) where status in ('offered', 'waitlisted', 'watching');
create index makeup_session on makeup (clinic_id, session_id) where session_id is not null;

-- Patients waiting for a seat in a full session, in arrival order.
create table waitlist_entry (
    clinic_id  uuid        not null,
    session_id uuid        not null,
    patient_id uuid        not null,
    makeup_id  uuid        not null,
    position   bigint      generated always as identity,
    joined_at  timestamptz not null,
    primary key (clinic_id, session_id, patient_id),
    unique (clinic_id, makeup_id),
    foreign key (clinic_id, session_id) references session (clinic_id, id),
    foreign key (clinic_id, makeup_id) references makeup (clinic_id, id)
);
create index waitlist_order on waitlist_entry (clinic_id, session_id, position);

-- Recording webhook deliveries already applied: a replayed delivery finds its id and changes nothing.
create table recording_webhook_event (
    clinic_id   uuid        not null,
    event_id    text        not null,
    received_at timestamptz not null,
    primary key (clinic_id, event_id)
);
