-- The clinic's programs as Notification knows them, from Scheduling's ProgramCreated: a reminder plan is accepted only
-- for a program Notification knows, from that event or from a session copy that names it. Scheduling enqueues
-- ProgramCreated for the programs it had before it published the event.
create table programs (
    clinic_id  uuid        not null,
    program_id uuid        not null,
    known_at   timestamptz not null,
    primary key (clinic_id, program_id)
);
