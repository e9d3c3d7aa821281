-- A patient's catch-up for a missed session, as Engagement reports it: assigned (with the homework's due date), the
-- homework done, the package addressed. Kept whichever report arrives first, so homework done (or a package
-- addressed) before its assignment is heard of plans no reminder.
create table catch_up (
    clinic_id        uuid        not null,
    package_id       uuid        not null,
    patient_id       uuid        not null,
    session_id       uuid        not null,
    assigned_at      timestamptz,
    homework_due_on  date,
    homework_done_at timestamptz,
    addressed_at     timestamptz,
    received_at      timestamptz not null,
    primary key (clinic_id, package_id)
);

-- The message that the catch-up is ready, and the reminder the day before the homework is due.
alter table delivery drop constraint delivery_kind_check;
alter table delivery add constraint delivery_kind_check check (kind in (
    'reminder', 'joinAlert', 'missedSession', 'sessionCancelled', 'absenceAcknowledged', 'technicalSupport', 'attendanceSupport',
    'clinicianAlert', 'helpDeskTicket', 'waitlistPromoted', 'makeupBooked', 'makeupOptions', 'supportUpdate', 'makeupReopened',
    'catchUpAssigned', 'homeworkReminder'));
