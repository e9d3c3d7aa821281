-- Each program's billing settings, set through the API: the attended minutes a day needs to be billable (a program
-- without a row is held to 180) and the codes copied onto each billable day (HCPCS e.g. H0015, revenue code e.g. 0906).
create table program_billing (
    clinic_id               uuid        not null,
    program_id              uuid        not null,
    minimum_minutes_per_day int         not null,
    hcpcs_code              text,
    revenue_code            text,
    updated_at              timestamptz not null,
    primary key (clinic_id, program_id)
);

-- The billing export reads a clinic's sessions by start across all its cohorts.
create index attendance_session_clinic_start on attendance_session (clinic_id, starts_at);
