-- The treatment plan Engagement's clinicians set (PlanAdjusted): how often and how a patient is meant to attend. Each
-- part keeps the time of the adjustment it came from, so a late, older event never overwrites a newer one.
create table patient_plan (
    clinic_id             uuid        not null,
    patient_id            uuid        not null,
    sessions_per_week     int,
    frequency_adjusted_at timestamptz,
    modality              text,       -- group | individual | hybrid
    modality_adjusted_at  timestamptz,
    primary key (clinic_id, patient_id)
);
