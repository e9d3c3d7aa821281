-- The clinic's programs as Engagement knows them, from Scheduling's ProgramCreated and from any session that names a
-- program: pattern settings are accepted only for one of them. Programs named by the sessions already here are known
-- from the start; Scheduling enqueues ProgramCreated for the programs it had before it published the event.
create table programs (
    clinic_id  uuid        not null,
    program_id uuid        not null,
    known_at   timestamptz not null,
    primary key (clinic_id, program_id)
);

insert into programs (clinic_id, program_id, known_at)
select distinct clinic_id, program_id, now() from session_roster where program_id is not null;
