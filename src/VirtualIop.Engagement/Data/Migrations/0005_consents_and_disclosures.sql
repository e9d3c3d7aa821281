-- A patient's written consent to share with a family member or supporter (42 CFR Part 2 §2.31): recipient, purpose,
-- scope, expiry and signature date; revocation is recorded, never deleted.
create table consent (
    id                uuid        primary key,
    clinic_id         uuid        not null,
    patient_id        uuid        not null,
    recipient_name    text        not null,
    recipient_contact text        not null,
    recipient_kind    text        not null check (recipient_kind in ('family', 'supportPerson')),
    purpose           text        not null,
    scope             text        not null check (scope in ('attendanceOnly', 'attendanceAndEngagement', 'treatmentParticipation')),
    expires_at        timestamptz not null,
    signed_on         date        not null,
    granted_at        timestamptz not null,
    recorded_by       text        not null,
    revoked_at        timestamptz,
    revoked_by        text,
    revocation_reason text
);
create index consent_by_patient on consent (clinic_id, patient_id, granted_at);

-- The accounting of disclosures (§2.25): every time something was shared under a consent. Append-only.
create table disclosure (
    id           uuid        primary key,
    clinic_id    uuid        not null,
    patient_id   uuid        not null,
    consent_id   uuid        not null references consent (id),
    description  text        not null,
    disclosed_by text        not null,
    disclosed_at timestamptz not null
);
create index disclosure_by_patient on disclosure (clinic_id, patient_id, disclosed_at);
