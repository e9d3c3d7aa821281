-- Transactional outbox: a service's events, written in the same transaction as its state change.
create table if not exists outbox_message (
    id           uuid primary key,
    message_type text        not null,
    body         jsonb       not null,
    occurred_at  timestamptz not null,
    sent_at      timestamptz,
    -- W3C traceparent of the request that caused the event, so its trace continues through the broker.
    trace_parent text
);
-- The relay scans only what is still to be sent.
create index if not exists outbox_message_unsent on outbox_message (occurred_at, id) where sent_at is null;

-- Inbox: one row per (event, consumer) that has taken effect; a redelivery finds its row and does nothing.
create table if not exists inbox_message (
    message_id   uuid        not null,
    consumer     text        not null,
    processed_at timestamptz not null,
    primary key (message_id, consumer)
);
