-- Family and support contacts (42 CFR Part 2). Engagement owns consents; Notification keeps a copy fed by ConsentGranted
-- and ConsentRevoked (a revocation may arrive before its grant, so the grant's columns may still be empty, and an
-- empty consent covers nothing). A support contact is registered here against the consent that names them.
create table consent (
    clinic_id      uuid        not null,
    consent_id     uuid        not null,
    patient_id     uuid        not null,
    purpose        text,
    recipient_kind text,
    expires_at     timestamptz,
    granted_at     timestamptz,
    revoked_at     timestamptz,
    primary key (clinic_id, consent_id)
);

create table support_contact (
    clinic_id      uuid        not null,
    id             uuid        not null,
    patient_id     uuid        not null,
    consent_id     uuid        not null,
    recipient_kind text        not null check (recipient_kind in ('family', 'supportPerson')),
    email          text        not null,
    language       text        not null default 'en' check (language in ('en', 'es')),
    updated_at     timestamptz not null,
    primary key (clinic_id, id)
);
create index support_contact_by_patient on support_contact (clinic_id, patient_id);

-- Every disclosure to a support contact, for the patient's accounting of disclosures (§2.25).
create table disclosure (
    id                 uuid        primary key,
    clinic_id          uuid        not null,
    patient_id         uuid        not null,
    support_contact_id uuid        not null,
    consent_id         uuid        not null,
    delivery_id        uuid        not null unique,
    purpose            text        not null,
    kind               text        not null,
    channel            text        not null,
    disclosed_at       timestamptz not null
);
create index disclosure_by_patient on disclosure (clinic_id, patient_id, disclosed_at);

alter table delivery drop constraint delivery_recipient_check;
alter table delivery add constraint delivery_recipient_check check (recipient in ('patient', 'clinician', 'helpDesk', 'supportContact'));
alter table delivery drop constraint delivery_kind_check;
alter table delivery add constraint delivery_kind_check check (kind in (
    'reminder', 'joinAlert', 'missedSession', 'sessionCancelled', 'absenceAcknowledged', 'technicalSupport', 'attendanceSupport',
    'clinicianAlert', 'helpDeskTicket', 'waitlistPromoted', 'makeupBooked', 'makeupOptions', 'supportUpdate'));

-- One message of a kind per recipient: two supporters of one patient each get theirs.
drop index delivery_once;
create unique index delivery_once on delivery (clinic_id, session_id, patient_id, kind, coalesce(reminder_offset, interval '0'),
                                               coalesce(recipient_id, '00000000-0000-0000-0000-000000000000'))
    where status <> 'cancelled';
