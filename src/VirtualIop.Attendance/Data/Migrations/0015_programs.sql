-- The clinic's programs as Attendance knows them, from Scheduling's ProgramCreated and from any session that names a
-- program: a policy is accepted only for one of them. Programs named by sessions already here are known from the start;
-- Scheduling enqueues ProgramCreated for the programs it had before it published the event.
create table programs (
    clinic_id  uuid        not null,
    program_id uuid        not null,
    known_at   timestamptz not null,
    primary key (clinic_id, program_id)
);

insert into programs (clinic_id, program_id, known_at)
select clinic_id, program_id, min(recorded_at) from attendance_session where program_id is not null group by clinic_id, program_id;
