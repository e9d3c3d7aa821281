-- The standing read for one patient across programs (the patient's own page asks for all of theirs).
create index policy_standing_by_patient on policy_standing (clinic_id, patient_id);
