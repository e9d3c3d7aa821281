-- The outbox is keyed by its insertion position instead of the event id. Event ids are random, so every insert landed
-- on a random leaf of two indexes (the primary key and the relay's unsent index); a set-based writer such as the
-- no-show sweep (100,000 rows in one statement) spent a third of its time there. An identity always appends at the
-- right edge. The event id stays a column (it is the broker's MessageId and every consumer's inbox key), unique by how
-- it is made, so it needs no index of its own: nothing looks a row up by it.
alter table outbox_message drop constraint outbox_message_pkey;
alter table outbox_message add column position bigint generated always as identity;
alter table outbox_message add primary key (position);

-- The relay scans only what is still to be sent, in the order it was written.
drop index outbox_message_unsent;
create index outbox_message_unsent on outbox_message (position) where sent_at is null;
