-- Attendance's latest correction of a patient's outcome of a session, kept whichever report arrives first: while it takes
-- the miss back (present, late, partial or excused), a no-show or notice about that session heard of later offers no makeup.
create table miss_correction (
    clinic_id    uuid        not null,
    session_id   uuid        not null,
    patient_id   uuid        not null,
    corrected_at timestamptz not null,
    undoes_miss  boolean     not null,
    primary key (clinic_id, session_id, patient_id)
);
