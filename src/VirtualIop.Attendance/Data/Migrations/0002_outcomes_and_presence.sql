-- What Scheduling tells about a session beyond its times: the program and cohort it belongs to, its kind and its facilitator.
alter table attendance_session
    add column kind         text,
    add column program_id   uuid,
    add column cohort_id    uuid,
    add column clinician_id uuid;

-- Outcomes richer than present/no-show, and every decision documented: why, notes, who and when.
alter table attendance_record drop constraint attendance_record_outcome_check;
alter table attendance_record
    add constraint attendance_record_outcome_check
        check (outcome in ('pending', 'present', 'late', 'partial', 'excusedAbsence', 'unexcusedAbsence', 'noShow')),
    add column checked_out_at  timestamptz,
    add column reason_category text check (reason_category in
        ('technicalDifficulty', 'schedulingConflict', 'illness', 'emergency', 'lowMotivation', 'other')),
    add column notes           text,        -- free text for the treatment record; never leaves this service
    add column recorded_by     text,        -- the partner client (or the sweep) that made the last decision
    add column recorded_at     timestamptz;

-- Every join and leave, from the API or the telehealth platform: a dropped connection is a leave and a re-join,
-- and the minutes attended are the union of these intervals within the session's time.
-- Staff (the facilitator or a stand-in) are kept apart from patients: they never get an attendance record.
create table presence_interval (
    clinic_id        uuid        not null,
    session_id       uuid        not null,
    participant_id   uuid        not null,
    participant_kind text        not null check (participant_kind in ('patient', 'staff')),
    joined_at        timestamptz not null,
    left_at          timestamptz,
    recorded_by      text        not null,
    foreign key (clinic_id, session_id) references attendance_session (clinic_id, id) on delete cascade
);
create index presence_interval_session on presence_interval (clinic_id, session_id, participant_id);
-- At most one open interval per participant: a repeated join while present changes nothing.
create unique index presence_interval_one_open on presence_interval (clinic_id, session_id, participant_id) where left_at is null;
