-- A modality takes effect from a date, and the individual sessions it asks for are booked up to the series horizon,
-- which moves on every day: the horizon worker books the weeks that come into reach, from the modality's date, and
-- notes how far they are booked.
alter table patient_plan add column if not exists modality_effective_from date;
alter table patient_plan add column if not exists individual_booked_until timestamptz;
create index if not exists patient_plan_individual_due on patient_plan (individual_booked_until) where modality in ('individual', 'hybrid');
