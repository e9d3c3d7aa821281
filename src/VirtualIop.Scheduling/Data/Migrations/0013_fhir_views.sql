-- Attendance's latest outcome for each patient of a session, copied from its events for the FHIR views (Appointment
-- noshow/fulfilled, Encounter). decided_at is when Attendance decided it: the newest decision wins, whatever order the
-- events arrive in; checked_in_at keeps the earliest check-in any event reported.
create table attendance_outcome (
    clinic_id     uuid        not null,
    session_id    uuid        not null,
    patient_id    uuid        not null,
    outcome       text        not null,  -- attended | noShow | excusedAbsence | unexcusedAbsence
    decided_at    timestamptz not null,
    checked_in_at timestamptz,
    primary key (clinic_id, session_id, patient_id)
);

-- Why a session was cancelled (a ChangeReason wire name), for Appointment.cancelationReason; null for sessions cancelled
-- before it was kept.
alter table session add column cancel_reason text;

-- FHIR searches by patient walk a patient's sessions and waitlist places.
create index session_participant_patient on session_participant (clinic_id, patient_id);
create index waitlist_entry_patient on waitlist_entry (clinic_id, patient_id);
