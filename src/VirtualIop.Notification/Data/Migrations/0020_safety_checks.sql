-- Crisis escalation. A safety check Engagement opened is kept here (from SafetyCheckOpened, or first as a tombstone from
-- SafetyCheckAcknowledged when that arrives first): the clinician is alerted at once by SMS and email, and a check still
-- unacknowledged at its due time is escalated once to the program's on-call contact (Workers: SafetyCheckEscalations).
create table safety_check (
    clinic_id       uuid        not null,
    task_id         uuid        not null,
    patient_id      uuid        not null,
    session_id      uuid,
    clinician_id    uuid,
    program_id      uuid,
    due_by          timestamptz,
    opened_at       timestamptz,
    acknowledged_at timestamptz,
    escalated_at    timestamptz,
    primary key (clinic_id, task_id)
);
create index safety_check_due on safety_check (due_by) where opened_at is not null and acknowledged_at is null and escalated_at is null;
create index safety_check_open_by_patient on safety_check (clinic_id, patient_id) where acknowledged_at is null;

-- Who a program's unacknowledged safety checks escalate to.
create table program_on_call (
    clinic_id  uuid        not null,
    program_id uuid        not null,
    email      text,
    phone      text,
    updated_by text        not null,
    updated_at timestamptz not null,
    primary key (clinic_id, program_id),
    check (email is not null or phone is not null)
);

-- A clinician's mobile number, for the safety alerts that go out by SMS as well as email.
alter table clinician_contact add column phone text;

alter table delivery drop constraint delivery_kind_check;
alter table delivery add constraint delivery_kind_check check (kind in (
    'reminder', 'joinAlert', 'missedSession', 'sessionCancelled', 'absenceAcknowledged', 'technicalSupport', 'attendanceSupport',
    'clinicianAlert', 'helpDeskTicket', 'waitlistPromoted', 'makeupBooked', 'makeupOptions', 'supportUpdate', 'makeupReopened', 'catchUpAssigned',
    'homeworkReminder', 'safetyAlert'));
alter table delivery drop constraint delivery_status_check;
alter table delivery add constraint delivery_status_check
    check (status in ('pending', 'sending', 'sent', 'failed', 'skipped', 'suppressed', 'cancelled', 'unknown', 'held'));
alter table delivery drop constraint delivery_recipient_check;
alter table delivery add constraint delivery_recipient_check check (recipient in ('patient', 'clinician', 'helpDesk', 'supportContact', 'onCall'));

-- The patient's automated messages about a session under an open safety check are held for the clinician, whichever
-- arrives first: those already pending are held by the consumer of SafetyCheckOpened, those queued later by this trigger,
-- whatever code path queues them.
create function hold_for_safety_check() returns trigger language plpgsql as $$
begin
    if new.recipient = 'patient' and new.status = 'pending'
       and new.kind in ('missedSession', 'absenceAcknowledged', 'makeupOptions', 'technicalSupport')
       and exists (select 1 from safety_check s
                   where s.clinic_id = new.clinic_id and s.patient_id = new.patient_id and s.session_id = new.session_id
                     and s.opened_at is not null and s.acknowledged_at is null) then
        new.status := 'held';
        new.detail := 'Held for the clinician while a safety check about this session is open.';
    end if;
    return new;
end;
$$;
create trigger delivery_held_for_safety_check before insert on delivery for each row execute function hold_for_safety_check();
