-- Scheduling's events about a session come in any order. Each carries the session's version after its change (null in
-- older messages, counted as 0); Attendance keeps the newest it has applied, so any order ends as in-order delivery.
-- version: the newest session-level report applied (scheduled, rescheduled, cancelled); times_version: the report whose
-- times are in place (a cancellation keeps the times, so a reschedule older than it must still be able to move them).
alter table attendance_session
    add column version       bigint not null default 0,
    add column times_version bigint not null default 0;

-- A reschedule or a cancellation taken in before its SessionScheduled: kept here, not in attendance_session, so the
-- sweep and every read see only sessions whose SessionScheduled has come. The late SessionScheduled takes the newer
-- times and the cancellation from here and deletes the row.
create table session_placeholder (
    clinic_id     uuid        not null,
    id            uuid        not null,
    version       bigint      not null,  -- the newest session-level report taken in
    times_version bigint,                -- null until a reschedule came
    starts_at     timestamptz,
    ends_at       timestamptz,
    time_zone     text,
    cancelled_at  timestamptz,           -- a cancellation is final: the tombstone
    received_at   timestamptz not null,
    primary key (clinic_id, id)
);

-- Who belongs to the session, per patient, with the version of the report that decided it: a removal taken in before
-- the roster (removed = true, a tombstone) keeps the late SessionScheduled from adding the patient back. Attendance
-- records exist only for members of a known session.
create table session_membership (
    clinic_id  uuid    not null,
    session_id uuid    not null,
    patient_id uuid    not null,
    version    bigint  not null,
    removed    boolean not null,
    primary key (clinic_id, session_id, patient_id)
);

-- A join or leave (from the API or the telehealth platform) for a session Attendance has not heard of yet: applied when
-- the session comes (for a patient not on its roster then, when their membership comes), purged after
-- Attendance:PendingPresenceRetention.
create table pending_presence (
    clinic_id        uuid        not null,
    session_id       uuid        not null,
    participant_id   uuid        not null,
    participant_kind text        not null check (participant_kind in ('patient', 'staff')),
    change           text        not null check (change in ('join', 'leave')),
    occurred_at      timestamptz not null,
    recorded_by      text        not null,
    received_at      timestamptz not null,
    primary key (clinic_id, session_id, participant_id, participant_kind, change, occurred_at)
);
create index pending_presence_received on pending_presence (received_at);

-- Sessions taken in before this migration: their rosters as they stand now.
insert into session_membership (clinic_id, session_id, patient_id, version, removed)
select clinic_id, session_id, patient_id, 0, false from attendance_record
on conflict do nothing;
