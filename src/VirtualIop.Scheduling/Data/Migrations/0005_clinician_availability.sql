-- A clinician's weekly working hours (local times in their IANA zone) and time off, replaced as a whole.
create table clinician_availability (
    clinic_id     uuid        not null,
    clinician_id  uuid        not null,
    time_zone     text        not null,
    weekly_hours  jsonb       not null,  -- [{ "day": "monday", "from": "09:00", "to": "21:00" }, ...]
    time_off      jsonb       not null,  -- [{ "from": "<instant>", "to": "<instant>" }, ...]
    updated_at    timestamptz not null,
    primary key (clinic_id, clinician_id)
);
