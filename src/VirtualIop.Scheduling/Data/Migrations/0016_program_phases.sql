-- A program's ordered phases; each covers a set of its curriculum topics, and every topic of a phased program is in one.
create table program_phase (
    clinic_id  uuid not null,
    program_id uuid not null,
    position   int  not null,
    name       text not null,
    primary key (clinic_id, program_id, position),
    foreign key (clinic_id, program_id) references program (clinic_id, id)
);
alter table program_topic add column phase int;
alter table program_topic add foreign key (clinic_id, program_id, phase) references program_phase (clinic_id, program_id, position);

-- Where a patient stands in their program's phases; a patient without a row is in the first phase.
create table patient_phase (
    clinic_id   uuid        not null,
    program_id  uuid        not null,
    patient_id  uuid        not null,
    phase       int         not null,
    entered_at  timestamptz not null,
    advanced_by text        not null,  -- the staff member's user id (sub), or the partner client's id
    primary key (clinic_id, program_id, patient_id),
    foreign key (clinic_id, program_id, phase) references program_phase (clinic_id, program_id, position)
);

-- A clinician's waiver of a missed session's content, with the reason; the latest waiver of a miss is kept.
create table missed_session_waiver (
    clinic_id  uuid        not null,
    session_id uuid        not null,
    patient_id uuid        not null,
    reason     text        not null,
    waived_by  text        not null,
    waived_at  timestamptz not null,
    primary key (clinic_id, session_id, patient_id),
    foreign key (clinic_id, session_id) references session (clinic_id, id)
);

-- Engagement's catch-up packages that are addressed (ContinuityPackageAddressed): the miss they cover needs nothing more.
-- Kept whether or not the miss itself has been heard of yet, so any delivery order ends the same.
create table continuity_package_addressed (
    clinic_id    uuid        not null,
    package_id   uuid        not null,
    session_id   uuid        not null,
    patient_id   uuid        not null,
    how          text        not null,  -- completed | madeUp | waived | corrected
    addressed_at timestamptz not null,
    primary key (clinic_id, package_id)
);
create index continuity_package_addressed_miss on continuity_package_addressed (clinic_id, patient_id, session_id);
