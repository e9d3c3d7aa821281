-- Follow-ups beyond the outreach after a miss: kinds chosen by the patterns or a clinician, an assignee, the full
-- life cycle and an outcome note; notes are appended, never edited.
alter table follow_up_task drop constraint follow_up_task_reason_check;
alter table follow_up_task drop constraint follow_up_task_status_check;
alter table follow_up_task
    add column kind         text not null default 'missedSessionOutreach',
    add column assignee     text,
    add column outcome_note text,
    add column updated_at   timestamptz;
update follow_up_task set updated_at = created_at;
alter table follow_up_task
    alter column kind drop default,
    alter column updated_at set not null,
    alter column session_id drop not null,
    add constraint follow_up_task_reason_check check (reason in ('sessionMissed', 'engagementRisk', 'clinician')),
    add constraint follow_up_task_status_check check (status in ('open', 'inProgress', 'done', 'cancelled')),
    add constraint follow_up_task_kind_check check (kind in
        ('missedSessionOutreach', 'individualCounselling', 'motivationalInterviewing', 'treatmentPlanReview', 'technicalSupport')),
    add constraint follow_up_task_closed_with_note check (status in ('open', 'inProgress') or outcome_note is not null);

-- One outreach per patient and missed session, however often the miss arrives ...
drop index follow_up_task_once;
create unique index follow_up_task_once on follow_up_task (clinic_id, session_id, patient_id, reason, kind)
    where reason = 'sessionMissed';
-- ... and one active task of every other kind per patient, however many triggers ask for it.
create unique index follow_up_task_one_active_per_kind on follow_up_task (clinic_id, patient_id, kind)
    where status in ('open', 'inProgress') and kind <> 'missedSessionOutreach';
create index follow_up_task_by_assignee on follow_up_task (clinic_id, assignee, status, due_by);

create table follow_up_note (
    id         bigint      generated always as identity primary key,
    clinic_id  uuid        not null,
    task_id    uuid        not null references follow_up_task (id),
    author     text        not null,
    text       text        not null,
    written_at timestamptz not null
);
create index follow_up_note_by_task on follow_up_note (clinic_id, task_id, id);
