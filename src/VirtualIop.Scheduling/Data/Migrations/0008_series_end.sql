-- A series edited from a date onward ends there: its occurrences from ends_before on are not materialised any more,
-- and a new series carries the cohort on from that date.
alter table series add column ends_before timestamptz;
