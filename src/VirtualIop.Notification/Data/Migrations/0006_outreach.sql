-- Outreach beyond reminders. A delivery may concern no session (a supportive word after a policy warning) or a
-- session without a known start (a recording booked as a makeup); it may go to the patient, to their clinician,
-- or open a ticket at the clinic's help desk. recipient_id names the clinician; topic is a code saying what an alert
-- is about (never clinical detail); reason_code says why a delivery was suppressed or skipped.
alter table delivery
    alter column session_id drop not null,
    alter column session_starts_at drop not null,
    alter column time_zone drop not null,
    add column recipient    text not null default 'patient' check (recipient in ('patient', 'clinician', 'helpDesk')),
    add column recipient_id uuid,
    add column topic        text,
    add column reason_code  text;

alter table delivery drop constraint delivery_kind_check;
alter table delivery add constraint delivery_kind_check check (kind in (
    'reminder', 'joinAlert', 'missedSession', 'sessionCancelled', 'absenceAcknowledged', 'technicalSupport', 'attendanceSupport',
    'clinicianAlert', 'helpDeskTicket', 'waitlistPromoted', 'makeupBooked', 'makeupOptions'));
alter table delivery drop constraint delivery_channel_check;
alter table delivery add constraint delivery_channel_check check (channel in ('email', 'sms', 'push', 'helpDesk'));
create index delivery_by_recipient on delivery (clinic_id, recipient_id) where recipient_id is not null;

-- Who leads a session, so a patient's clinician is the clinician of the latest session Notification knows of.
alter table session add column clinician_id uuid;
create index session_participant_by_patient on session_participant (clinic_id, patient_id);

-- How a clinician is reached with alerts about their patients.
create table clinician_contact (
    clinic_id    uuid        not null,
    clinician_id uuid        not null,
    email        text        not null,
    language     text        not null default 'en' check (language in ('en', 'es')),
    updated_at   timestamptz not null,
    primary key (clinic_id, clinician_id)
);

-- Makeups Scheduling offered for a missed session (MakeupOffered); the messages about that session list them.
create table makeup_offer (
    clinic_id         uuid        not null,
    makeup_id         uuid        not null,
    missed_session_id uuid        not null,
    patient_id        uuid        not null,
    offered_kinds     text[]      not null,
    expires_at        timestamptz not null,
    received_at       timestamptz not null,
    primary key (clinic_id, makeup_id)
);
create index makeup_offer_by_session on makeup_offer (clinic_id, missed_session_id, patient_id);

-- A patient's answer to a reminder by text: C confirms, N declines (becoming an absence notice at Attendance).
create table session_reply (
    clinic_id   uuid        not null,
    session_id  uuid        not null,
    patient_id  uuid        not null,
    reply       text        not null check (reply in ('confirmed', 'declined')),
    channel     text        not null,
    received_at timestamptz not null,
    primary key (clinic_id, session_id, patient_id)
);

-- A clinic's own wording for one kind of message, in one language, on one channel.
create table template_override (
    clinic_id  uuid        not null,
    kind       text        not null,
    language   text        not null check (language in ('en', 'es')),
    channel    text        not null check (channel in ('email', 'sms', 'push')),
    subject    text,
    body       text        not null,
    updated_at timestamptz not null,
    primary key (clinic_id, kind, language, channel)
);
