-- A patient's request for technical help from the browser's technical check: the check's results, the patient's own
-- note (kept here, never sent to the help desk) and the help-desk ticket it opened (none when no help desk is configured).
create table technical_help_request (
    clinic_id    uuid        not null,
    id           uuid        not null,
    patient_id   uuid        not null,
    session_id   uuid,
    camera       text        not null check (camera in ('ok', 'failed', 'skipped')),
    microphone   text        not null check (microphone in ('ok', 'failed', 'skipped')),
    connection   text        not null check (connection in ('ok', 'failed', 'skipped')),
    note         text,
    ticket_id    uuid,
    requested_at timestamptz not null,
    primary key (clinic_id, id)
);
create index technical_help_request_by_patient on technical_help_request (clinic_id, patient_id, requested_at);
