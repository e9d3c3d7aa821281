-- The question texted after an N reply: what kept the patient away. One per declined session and patient; a number
-- from the menu within Notification:ReasonReplyWindow answers it once (answered_at, reason_category set).
create table reason_question (
    clinic_id       uuid        not null,
    session_id      uuid        not null,
    patient_id      uuid        not null,
    asked_at        timestamptz not null,
    expires_at      timestamptz not null,
    answered_at     timestamptz,
    reason_category text,
    primary key (clinic_id, session_id, patient_id)
);
-- A number finds the patient's open question by the contacts of the number that sent it.
create index reason_question_open on reason_question (clinic_id, patient_id, asked_at) where answered_at is null;
