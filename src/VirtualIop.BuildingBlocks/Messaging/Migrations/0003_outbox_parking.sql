-- A row the relay fails to publish is charged an attempt and keeps its last error (exception type and message; bodies
-- hold ids only) and when it was tried; after Messaging:OutboxMaxAttempts it is parked and the relay passes it by.
-- Columns with constant defaults are added without rewriting the table, and a relay of the previous version ignores
-- them (it keeps retrying every unsent row, as it always did), so this runs safely under it.
alter table outbox_message add column if not exists attempts int not null default 0;
alter table outbox_message add column if not exists last_error text;
alter table outbox_message add column if not exists last_attempt_at timestamptz;
alter table outbox_message add column if not exists parked_at timestamptz;

-- The inbox is purged by age (Messaging:InboxRetention); without this index every purge would scan the whole table.
create index if not exists inbox_message_processed_at on inbox_message (processed_at);
