-- Sessions the no-show sweep decided, for the policy evaluator to expand into their no-shows. The sweep queues one row
-- per session (10,000 for 100,000 no-shows) instead of one per patient into policy_reevaluation, which kept its
-- statement twice as slow; the evaluator does the expansion in its own transaction, off the sweep's path.
create table policy_session_queue (
    clinic_id  uuid        not null,
    session_id uuid        not null,
    program_id uuid        not null,
    queued_at  timestamptz not null,
    primary key (clinic_id, session_id)
);
