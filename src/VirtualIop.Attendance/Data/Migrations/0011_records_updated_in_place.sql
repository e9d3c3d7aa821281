-- Deciding a record (check-in, no-show, notice) rewrites its row. When the page has room for the new version and no
-- indexed column changes, PostgreSQL updates it in place (HOT) and touches no index; when the page is full, the new
-- version moves and both indexes get a new entry, which made the no-show sweep of 100,000 records three times slower.
-- A decided row is about a third wider than a pending one, and a sweep decides every record of a page in one
-- transaction, so a page keeps 60% free: 40% filled by pending rows leaves room for all of them to be decided in place.
-- The cost is a larger table (about 2.5x) for a fast, index-free decision; keep outcome, decided_at, recorded_by and
-- recorded_at out of every index of this table, or the updates stop being HOT.
-- Existing pages keep their fill until the table is rewritten (VACUUM FULL or pg_repack); new ones follow at once.
alter table attendance_record set (fillfactor = 40);
