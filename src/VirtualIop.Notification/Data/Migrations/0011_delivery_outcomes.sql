-- At most one message per delivery. Before a provider call the dispatcher marks the row as in flight (the attempt's
-- start and channel, under the pass's claim_id, with the lease renewed); the outcome is recorded as soon as the call
-- ends, clearing the mark. A row still in flight when its lease has run out (the sender died, or its outcome never
-- came back) becomes 'unknown': the message may have gone out, so it is shown, never sent again automatically.
alter table delivery
    add column attempt_started_at timestamptz,
    add column attempt_channel    text check (attempt_channel in ('email', 'sms', 'push'));

alter table delivery drop constraint delivery_status_check;
alter table delivery add constraint delivery_status_check
    check (status in ('pending', 'sending', 'sent', 'failed', 'skipped', 'suppressed', 'cancelled', 'unknown'));
