-- A task's notes are listed a page at a time by keyset on (written at, note id), as every listing is; a new note's id is
-- time-ordered (UUIDv7), so notes written at one instant keep the order they were written in.
alter table follow_up_note add column note_id uuid not null default gen_random_uuid();
create unique index follow_up_note_page on follow_up_note (clinic_id, task_id, written_at, note_id);
