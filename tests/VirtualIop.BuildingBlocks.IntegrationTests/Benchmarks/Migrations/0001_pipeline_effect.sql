-- The benchmark consumer's effect: one row per event, written in the transaction of its inbox row.
create table if not exists pipeline_effect (
    event_id    uuid        not null,
    clinic_id   uuid        not null,
    patient_id  uuid        not null,
    recorded_at timestamptz not null
);
