-- Sessions as Attendance learns them from SessionScheduled. Every row belongs to one clinic.
create table attendance_session (
    clinic_id      uuid        not null,
    id             uuid        not null,  -- the session id Scheduling gave
    starts_at      timestamptz not null,
    ends_at        timestamptz not null,
    time_zone      text        not null,  -- IANA id, for the patient-facing local time
    no_show_due_at timestamptz not null,  -- ends_at + grace: when the sweep decides who did not come
    swept_at       timestamptz,           -- set once by the sweep; a swept session is never swept again
    recorded_at    timestamptz not null,
    primary key (clinic_id, id)
);
-- The sweep's lookup: only unswept sessions, by due time; the index shrinks as sessions are swept.
create index attendance_session_sweep_due on attendance_session (no_show_due_at) where swept_at is null;

-- One record per expected patient per session.
create table attendance_record (
    clinic_id     uuid        not null,
    session_id    uuid        not null,
    patient_id    uuid        not null,
    position      int         not null,   -- the order Scheduling listed the patients in
    outcome       text        not null default 'pending' check (outcome in ('pending', 'present', 'noShow')),
    checked_in_at timestamptz,
    decided_at    timestamptz,
    primary key (clinic_id, session_id, patient_id),
    foreign key (clinic_id, session_id) references attendance_session (clinic_id, id) on delete cascade
);
