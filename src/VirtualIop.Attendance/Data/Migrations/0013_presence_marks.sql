-- Every join and leave as it happened, whatever order it arrived in (telehealth webhooks come out of order). The
-- presence intervals are paired again from these marks on each change, so a leave taken in before its join is kept
-- here until the join comes. The same mark from two sources, or delivered twice, is kept once.
create table presence_mark (
    clinic_id        uuid        not null,
    session_id       uuid        not null,
    participant_id   uuid        not null,
    participant_kind text        not null check (participant_kind in ('patient', 'staff')),
    change           text        not null check (change in ('join', 'leave')),
    occurred_at      timestamptz not null,
    recorded_by      text        not null,
    primary key (clinic_id, session_id, participant_id, participant_kind, change, occurred_at),
    foreign key (clinic_id, session_id) references attendance_session (clinic_id, id) on delete cascade
);

insert into presence_mark (clinic_id, session_id, participant_id, participant_kind, change, occurred_at, recorded_by)
select clinic_id, session_id, participant_id, participant_kind, 'join', joined_at, recorded_by from presence_interval
union all
select clinic_id, session_id, participant_id, participant_kind, 'leave', left_at, recorded_by from presence_interval where left_at is not null
on conflict do nothing;
