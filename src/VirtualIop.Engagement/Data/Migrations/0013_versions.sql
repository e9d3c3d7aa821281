-- Scheduling's events carry the session's or the makeup's version, and Engagement's copies converge whatever order
-- they arrive in (Domain: SessionTimeline, OutcomeTimeline, MakeupTimeline).

-- A session's row keeps the newest session-level version applied (times, cancelled). A cancellation or a removal that
-- arrives before the session was scheduled creates the row with no start yet; the late SessionScheduled fills it in.
alter table session_roster
    add column version bigint not null default 0,
    add column cancelled boolean not null default false,
    alter column starts_at drop not null;

-- Who is on each session: per (session, patient) the newest membership version applied, present or removed (a removal
-- that arrives first stays as a tombstone, so the older SessionScheduled that names the patient does not add them).
-- patient_roster is derived from the present members of sessions not cancelled.
create table session_member (
    clinic_id  uuid    not null,
    session_id uuid    not null,
    patient_id uuid    not null,
    present    boolean not null,
    version    bigint  not null,
    primary key (clinic_id, session_id, patient_id)
);
create index session_member_by_patient on session_member (clinic_id, patient_id);

-- Each outcome keeps when the report that holds was decided, where its start came from, and the latest notice's
-- reason, so a correction made before a late no-show arrives still holds and any order settles the same way.
alter table attendance_outcome
    add column decided_at timestamptz,
    add column starts_at_decided_at timestamptz,
    add column notice_reason text,
    add column notice_at timestamptz;
update attendance_outcome set
    decided_at = updated_at,
    starts_at_decided_at = case when precedence in (1, 2, 3) then updated_at end,
    notice_reason = case when precedence in (1, 3) then reason_category end,
    notice_at = case when precedence in (1, 3) then updated_at end;
alter table attendance_outcome alter column decided_at set not null;

-- The makeup's version of the report that holds; null for reports from publishers older than the field.
alter table makeup add column version bigint;
