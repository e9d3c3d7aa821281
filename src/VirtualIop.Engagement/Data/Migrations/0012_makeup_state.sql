-- The copy now follows every makeup event (offered, booked, completed, expired, withdrawn) in whatever order they
-- arrive: one state and the time Scheduling set it, so a later report wins over an earlier one (Domain: MakeupTimeline).
-- kind is the booked kind, unknown while the makeup is only offered.
alter table makeup add column state text, add column state_at timestamptz;
update makeup set state = case when completed_at is not null then 'completed' else 'booked' end,
                  state_at = coalesce(completed_at, booked_at);
alter table makeup alter column state set not null, alter column state_at set not null, alter column kind drop not null;
alter table makeup drop column booked_at, drop column completed_at;
