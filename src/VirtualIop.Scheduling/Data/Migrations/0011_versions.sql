-- Every change to a session (times, status, roster) and to a makeup (each state it moves through) increments its version
-- in the same transaction, and every event about it carries the version after its change, so consumers that receive
-- the events in any order keep the newest. Rows that exist already start at 1, as new rows do.
alter table session add column version bigint not null default 1;
alter table makeup add column version bigint not null default 1;

-- Absence notices Attendance reported withdrawn. A withdrawal can arrive before the notice it withdraws; the notice,
-- arriving late, then finds its withdrawal here and offers nothing.
create table absence_notice_withdrawal (
    clinic_id    uuid        not null,
    notice_id    uuid        not null,
    withdrawn_at timestamptz not null,
    primary key (clinic_id, notice_id)
);
