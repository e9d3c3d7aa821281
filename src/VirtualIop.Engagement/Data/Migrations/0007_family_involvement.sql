-- Family or support involvement: a task of that kind exists only under a consent (the database refuses one without),
-- and every decision about involving family, taken or withheld, is kept with its reason. Append-only.
alter table follow_up_task drop constraint follow_up_task_kind_check;
alter table follow_up_task
    add column consent_id uuid references consent (id),
    add constraint follow_up_task_kind_check check (kind in
        ('missedSessionOutreach', 'individualCounselling', 'motivationalInterviewing', 'treatmentPlanReview', 'technicalSupport',
         'familyInvolvement')),
    add constraint follow_up_task_family_under_consent check ((kind = 'familyInvolvement') = (consent_id is not null));
create index follow_up_task_by_consent on follow_up_task (consent_id) where consent_id is not null;

create table family_involvement_decision (
    id         uuid        primary key,
    clinic_id  uuid        not null,
    patient_id uuid        not null,
    trigger    text        not null check (trigger in ('pattern', 'clinician', 'consentRevoked')),
    outcome    text        not null check (outcome in ('taskOpened', 'withheld', 'taskCancelled')),
    reason     text        not null,
    consent_id uuid references consent (id),
    task_id    uuid references follow_up_task (id),
    decided_by text        not null,
    decided_at timestamptz not null
);
create index family_involvement_decision_by_patient on family_involvement_decision (clinic_id, patient_id, decided_at);

create function family_involvement_decision_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'family_involvement_decision is append-only';
end
$$;
create trigger family_involvement_decision_append_only before update or delete on family_involvement_decision
    for each row execute function family_involvement_decision_is_append_only();
