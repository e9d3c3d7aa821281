-- Idempotency-Key claims of the creating POSTs, per partner client and clinic, with the first answer to replay.
-- A row is pending (completed_at null) while its request runs; only successful answers are kept, for 24 hours.
create table idempotency_key (
    clinic_id     uuid        not null,
    client_id     text        not null,
    key           text        not null,
    request_hash  bytea       not null,
    claim_id      uuid        not null,
    claimed_at    timestamptz not null,
    completed_at  timestamptz,
    status_code   integer,
    content_type  text,
    location      text,
    body          bytea,
    primary key (clinic_id, client_id, key)
);
create index idempotency_key_by_age on idempotency_key (claimed_at);
