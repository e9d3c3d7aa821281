-- Contact preferences: an address per channel (email, SMS in E.164, push as the clinic app's reference), the
-- order the channels are tried in, the language, the patient's own time zone and quiet hours (minutes after
-- local midnight; start > end spans midnight), and when each channel was opted out of (null: not opted out).
alter table contact alter column email drop not null;
alter table contact
    add column phone              text,
    add column push_address       text,
    add column channels           text[]   not null default '{email}',
    add column language           text     not null default 'en' check (language in ('en', 'es')),
    add column time_zone          text,
    add column quiet_start_minute smallint check (quiet_start_minute between 0 and 1439),
    add column quiet_end_minute   smallint check (quiet_end_minute between 0 and 1439),
    add column email_opted_out_at timestamptz,
    add column sms_opted_out_at   timestamptz,
    add column push_opted_out_at  timestamptz,
    add constraint contact_quiet_hours_paired check ((quiet_start_minute is null) = (quiet_end_minute is null)),
    add constraint contact_has_address check (email is not null or phone is not null or push_address is not null);

-- Inbound texts find their patient by number, within the clinic whose webhook they arrived on.
create index contact_by_phone on contact (clinic_id, phone) where phone is not null;

-- Every opt-out and opt-in, whoever made it (the clinic through the API, or the patient by text), kept for accounting.
create table opt_out_change (
    id         bigint      generated always as identity primary key,
    clinic_id  uuid        not null,
    patient_id uuid        not null,
    channel    text        not null check (channel in ('email', 'sms', 'push')),
    opted_out  boolean     not null,
    source     text        not null check (source in ('api', 'sms')),
    changed_at timestamptz not null
);
create index opt_out_change_by_patient on opt_out_change (clinic_id, patient_id, changed_at);

alter table delivery drop constraint delivery_status_check;
alter table delivery add constraint delivery_status_check
    check (status in ('pending', 'sending', 'sent', 'failed', 'skipped', 'suppressed'));
