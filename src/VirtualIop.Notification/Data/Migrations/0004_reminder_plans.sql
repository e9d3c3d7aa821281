-- A program's reminder plan: how long before each session reminders go out, and whether (and how long before the
-- start) the platform alert with the join link goes out. Sessions outside a program, or of a program without a
-- plan, use the service's configured offsets.
create table reminder_plan (
    clinic_id         uuid        not null,
    program_id        uuid        not null,
    offsets           interval[]  not null,
    join_alert_offset interval,
    updated_at        timestamptz not null,
    primary key (clinic_id, program_id)
);

alter table delivery drop constraint delivery_kind_check;
alter table delivery add constraint delivery_kind_check check (kind in ('reminder', 'joinAlert', 'missedSession'));
