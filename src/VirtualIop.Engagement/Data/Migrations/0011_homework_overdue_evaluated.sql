-- Homework can fall overdue between sessions, with no Attendance event to re-evaluate the patient's risk. A worker
-- re-evaluates the patient once the overdue point passes and records here which overdue point it evaluated, so a
-- crossing is evaluated once, and again only if the due date or the program's grace days move it.
alter table continuity_item add column overdue_evaluated_for timestamptz;

-- The worker looks only at homework not yet done.
create index continuity_item_open_homework on continuity_item (package_id) where kind = 'homework' and done_at is null;
