-- An extra makeup group: a makeup session (kind 'makeup') a coordinator opened for one topic of a program, with its own
-- seats. Patients take a seat in it through their makeups, as in another cohort's session; a cohort session's seats
-- are its cohort's capacity, so capacity stays null there.
alter table session
    add column extra_group boolean not null default false,
    add column capacity    int check (capacity between 1 and 50),
    add constraint session_extra_group_has_capacity check (not extra_group or capacity is not null);
create index session_extra_group_topic on session (clinic_id, program_id, topic_id, starts_at) where extra_group;

-- A rolling cohort takes patients at any session and lets a discharged patient rejoin on the same enrolment.
alter table cohort add column rolling boolean not null default false;

-- The periods a patient was away from a rolling cohort: the discharge that ended their enrolment, kept when they
-- rejoined on the same enrolment.
create table enrolment_absence (
    clinic_id     uuid        not null,
    enrolment_id  uuid        not null,
    left_at       timestamptz not null,
    rejoined_at   timestamptz not null,
    primary key (clinic_id, enrolment_id, left_at),
    foreign key (clinic_id, enrolment_id) references enrolment (clinic_id, id)
);
