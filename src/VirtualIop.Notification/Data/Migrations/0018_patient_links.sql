-- Personal links: each patient-facing message carries a random token that a portal redeems for a session scoped to
-- that one patient. Only the token's SHA-256 is kept, so whoever reads this table cannot use a link. A link expires,
-- can be revoked, and its row is purged a while after it stops working.
create table patient_link (
    id uuid primary key,
    clinic_id uuid not null,
    patient_id uuid not null,
    token_hash bytea not null unique,
    delivery_id uuid,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    last_redeemed_at timestamptz
);
create index patient_link_live_by_patient on patient_link (clinic_id, patient_id) where revoked_at is null;
create index patient_link_by_expiry on patient_link (expires_at);

-- A clinic that runs its own patient app: its messages link there instead of Notification:PatientPortalUrl.
create table clinic_patient_portal (
    clinic_id uuid primary key,
    url text not null,
    updated_at timestamptz not null
);
