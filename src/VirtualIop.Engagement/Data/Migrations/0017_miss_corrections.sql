-- Attendance's latest correction of a patient's outcome of a session, kept by the consumers that close what a miss opened
-- (whichever report arrives first): while it takes the miss back (present, late, partial or excused), a no-show heard of
-- later opens no outreach and no catch-up. A catch-up closed that way is addressed 'corrected'.
create table miss_correction (
    clinic_id    uuid        not null,
    session_id   uuid        not null,
    patient_id   uuid        not null,
    corrected_at timestamptz not null,
    undoes_miss  boolean     not null,
    primary key (clinic_id, session_id, patient_id)
);

alter table continuity_package
    drop constraint continuity_package_addressed_how_check,
    add constraint continuity_package_addressed_how_check check (addressed_how in ('completed', 'madeUp', 'waived', 'corrected'));
