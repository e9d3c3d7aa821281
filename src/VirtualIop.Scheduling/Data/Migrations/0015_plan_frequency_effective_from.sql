-- The first local date a planned frequency governs (PlanAdjusted.EffectiveFrom); null: every session not yet started
-- when the adjustment arrived. The materialisation of later occurrences reads it too.
alter table patient_plan add column frequency_effective_from date;
