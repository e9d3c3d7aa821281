-- The treatment-plan log: plan adjustments (frequency or modality) with who and why. Append-only: the trigger
-- refuses any update or delete, and the API has no path for either.
create table treatment_plan_entry (
    id                uuid        primary key,
    clinic_id         uuid        not null,
    patient_id        uuid        not null,
    change            text        not null check (change in ('frequency', 'modality')),
    sessions_per_week int check (sessions_per_week between 1 and 7),
    modality          text check (modality in ('group', 'individual', 'hybrid')),
    rationale         text        not null,
    recorded_by       text        not null,
    recorded_at       timestamptz not null,
    check ((change = 'frequency') = (sessions_per_week is not null)),
    check ((change = 'modality') = (modality is not null))
);
create index treatment_plan_entry_by_patient on treatment_plan_entry (clinic_id, patient_id, recorded_at);

create function treatment_plan_entry_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'treatment_plan_entry is append-only';
end
$$;
create trigger treatment_plan_entry_append_only before update or delete on treatment_plan_entry
    for each row execute function treatment_plan_entry_is_append_only();
