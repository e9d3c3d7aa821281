-- The reason a patient gave by text after declining a session with N (Notification's AbsenceReasonGivenByReply). It is
-- set on the notice the decline gave, and kept here too, so that a reason taken in before its SessionDeclinedByReply
-- becomes the reason of the notice that decline then records. The newest answer stands.
create table reply_reason (
    clinic_id       uuid        not null,
    session_id      uuid        not null,
    patient_id      uuid        not null,
    reason_category text        not null check (reason_category in
        ('technicalDifficulty', 'schedulingConflict', 'illness', 'emergency', 'lowMotivation', 'other')),
    given_at        timestamptz not null,
    primary key (clinic_id, session_id, patient_id)
);
