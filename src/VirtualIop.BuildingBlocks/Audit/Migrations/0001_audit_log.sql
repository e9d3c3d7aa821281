-- Who read or changed which patient's data, in every service's own database: one row per patient per call.
-- Ids and names only: no patient detail is ever copied here.
create table audit_log (
    id          uuid        primary key default gen_random_uuid(),
    clinic_id   uuid        not null,
    client_id   text        not null,
    action      text        not null check (action in ('read', 'change')),
    resource    text        not null,
    patient_id  uuid        not null,
    occurred_at timestamptz not null,
    trace_id    text
);
create index audit_log_by_time on audit_log (clinic_id, occurred_at, id);
create index audit_log_by_patient on audit_log (clinic_id, patient_id, occurred_at, id);
