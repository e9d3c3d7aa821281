-- Programs are now learnt from each SessionScheduled as well as from ProgramCreated (KnownPrograms), so a reminder plan
-- checks the programs table alone: the programs of the session copies taken in before then are known from them.
insert into programs (clinic_id, program_id, known_at)
select distinct clinic_id, program_id, now() from session where program_id is not null
on conflict do nothing;
