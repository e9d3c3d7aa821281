-- A consent's expiry ends the family tasks that relied on it, as a revocation does; the decision log says so.
alter table family_involvement_decision drop constraint family_involvement_decision_trigger_check;
alter table family_involvement_decision
    add constraint family_involvement_decision_trigger_check check (trigger in ('pattern', 'clinician', 'consentRevoked', 'consentExpired'));
