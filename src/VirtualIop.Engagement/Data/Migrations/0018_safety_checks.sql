-- Crisis escalation: an urgent safety-check task for the patient's clinician, opened by an emergency absence or a note
-- a clinician flags as a crisis. Tasks
-- carry a priority (urgent for safety checks, normal for everything else); one safety check is active per patient at a
-- time (follow_up_task_one_active_per_kind).
alter table follow_up_task
    drop constraint follow_up_task_kind_check,
    add constraint follow_up_task_kind_check check (kind in
        ('missedSessionOutreach', 'individualCounselling', 'motivationalInterviewing', 'treatmentPlanReview', 'technicalSupport',
         'familyInvolvement', 'safetyCheck')),
    drop constraint follow_up_task_reason_check,
    add constraint follow_up_task_reason_check check (reason in ('sessionMissed', 'engagementRisk', 'clinician', 'crisis')),
    add column priority text not null default 'normal' check (priority in ('normal', 'urgent'));

-- A note flagged as a crisis opened a safety check; the flag stays with the note.
alter table follow_up_note add column crisis boolean not null default false;
