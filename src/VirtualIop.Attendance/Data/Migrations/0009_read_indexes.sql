-- The reads: a patient's records (summary, timeline), a cohort's sessions by week, a clinician's day.
create index attendance_record_patient on attendance_record (clinic_id, patient_id);
create index attendance_session_cohort on attendance_session (clinic_id, cohort_id, starts_at) where cohort_id is not null;
create index attendance_session_clinician on attendance_session (clinic_id, clinician_id, starts_at) where clinician_id is not null;
