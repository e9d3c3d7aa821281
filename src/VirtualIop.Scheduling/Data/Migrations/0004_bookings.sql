-- Individual bookings (one-on-one sessions and makeups): one clinician, one patient, one time range.
-- The database itself refuses a second booking that overlaps the clinician's or the patient's time, so no race
-- between concurrent requests can double-book either of them.
create extension if not exists btree_gist;

create table booking (
    clinic_id    uuid      not null,
    id           uuid      not null,
    session_id   uuid      not null,
    clinician_id uuid      not null,
    patient_id   uuid      not null,
    during       tstzrange not null,
    status       text      not null default 'booked',  -- booked | cancelled
    primary key (clinic_id, id),
    unique (clinic_id, session_id),
    foreign key (clinic_id, session_id) references session (clinic_id, id),
    constraint booking_clinician_free exclude using gist (clinic_id with =, clinician_id with =, during with &&) where (status = 'booked'),
    constraint booking_patient_free exclude using gist (clinic_id with =, patient_id with =, during with &&) where (status = 'booked')
);
create index booking_clinician_during on booking using gist (clinic_id, clinician_id, during);
