-- Each text the SMS provider posts is acted on once: its message id (MessageSid) is recorded in the same transaction as
-- what the text did, so a provider retrying its webhook, or anyone replaying a captured signed request, changes nothing.
create table inbound_sms (
    provider_message_id text        primary key,
    clinic_id           uuid        not null,
    received_at         timestamptz not null
);
