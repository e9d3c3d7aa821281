-- Calendar subscriptions: one active secret feed URL per patient or clinician. Only a SHA-256 hash of the token is kept,
-- so the table alone cannot be turned into working feed URLs; revoking sets revoked_at and the URL answers 404 from then on.
create table calendar_feed (
    clinic_id  uuid        not null,
    id         uuid        not null,
    owner_kind text        not null check (owner_kind in ('patient', 'clinician')),
    owner_id   uuid        not null,
    token_hash bytea       not null unique,
    created_at timestamptz not null,
    revoked_at timestamptz,
    primary key (clinic_id, id)
);
create unique index calendar_feed_active on calendar_feed (clinic_id, owner_kind, owner_id) where revoked_at is null;
