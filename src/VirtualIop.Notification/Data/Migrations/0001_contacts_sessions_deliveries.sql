-- The patient's email, kept by Notification only; it never leaves this database except as the recipient of a send.
create table contact (
    clinic_id  uuid        not null,
    patient_id uuid        not null,
    email      text        not null,
    updated_at timestamptz not null,
    primary key (clinic_id, patient_id)
);

-- Notification's own copy of each scheduled session, fed by SessionScheduled.
create table session (
    clinic_id   uuid        not null,
    id          uuid        not null,
    kind        text        not null,
    starts_at   timestamptz not null,
    ends_at     timestamptz not null,
    time_zone   text        not null,
    received_at timestamptz not null,
    primary key (clinic_id, id)
);

-- One message to one patient over one channel. It carries what its text needs (the session's start and
-- time zone), so it renders without reaching into other tables at send time.
create table delivery (
    id                uuid        primary key,
    clinic_id         uuid        not null,
    patient_id        uuid        not null,
    session_id        uuid        not null,
    kind              text        not null check (kind in ('reminder', 'missedSession')),
    channel           text        not null check (channel in ('email')),
    reminder_offset   interval,
    session_starts_at timestamptz not null,
    time_zone         text        not null,
    due_at            timestamptz not null,
    status            text        not null check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts          integer     not null default 0,
    -- While status = 'sending': the pass that holds the row and until when. A sender that crashes
    -- leaves its rows to be claimed again once lease_until has passed.
    claim_id          uuid,
    lease_until       timestamptz,
    sent_at           timestamptz,
    detail            text,
    created_at        timestamptz not null
);

-- One reminder per offset, one outreach per missed session, whatever the number of events that asked for it.
create unique index delivery_once on delivery (clinic_id, session_id, patient_id, kind, coalesce(reminder_offset, interval '0'));
-- The dispatcher's two ways in: pending rows that are due, and sending rows whose lease ran out.
create index delivery_due on delivery (due_at) where status = 'pending';
create index delivery_lease on delivery (lease_until) where status = 'sending';
create index delivery_by_patient on delivery (clinic_id, patient_id, due_at);
