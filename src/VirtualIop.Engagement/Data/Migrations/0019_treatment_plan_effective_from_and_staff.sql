-- Who in person adjusted a plan (the staff member's user id, the token's sub; null for a partner system acting through
-- client credentials, whose client id stays in recorded_by) and, for a frequency, the first local date it governs.
alter table treatment_plan_entry add column recorded_by_user text;
alter table treatment_plan_entry add column effective_from date check (effective_from is null or change = 'frequency');
