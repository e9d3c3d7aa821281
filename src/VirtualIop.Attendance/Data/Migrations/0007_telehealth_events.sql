-- Every telehealth webhook event taken in, by the platform's event id: a redelivery of the same event (same body)
-- finds its row and changes nothing; the same id with another body is refused as a forged or broken replay.
-- The row commits in the same transaction as the presence it recorded, so a refused event leaves no row.
create table telehealth_event (
    clinic_id   uuid        not null,
    event_id    text        not null,  -- the platform's id for the event
    body_sha256 bytea       not null,  -- SHA-256 of the raw body as signed
    session_id  uuid        not null,
    received_at timestamptz not null,
    primary key (clinic_id, event_id)
);
