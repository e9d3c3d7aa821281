-- An offered makeup may end before the patient takes it up: withdrawn with the absence notice it answered
-- (MakeupWithdrawn), or run out (MakeupExpired). Messages still to go out no longer list it. Scheduling reuses the
-- makeup's id when it offers it again, so a later MakeupOffered clears both.
alter table makeup_offer
    add column withdrawn_at timestamptz,
    add column expired_at   timestamptz;

-- Makeups booked into a session (MakeupBooked), so a MakeupOffered for one of them is recognised as its session
-- having been cancelled. A recording has no session and is not kept.
create table makeup_booking (
    clinic_id         uuid        not null,
    makeup_id         uuid        not null,
    missed_session_id uuid        not null,
    patient_id        uuid        not null,
    session_id        uuid        not null,
    starts_at         timestamptz not null,
    time_zone         text        not null,
    booked_at         timestamptz not null,
    primary key (clinic_id, makeup_id)
);

-- The makeup session a patient booked could not go ahead and the options are open again. The delivery sits on the
-- cancelled makeup session (one message per cancelled booking); missed_session_id names the session it makes up for,
-- whose options and catch-up link the message gives.
alter table delivery add column missed_session_id uuid;
alter table delivery drop constraint delivery_kind_check;
alter table delivery add constraint delivery_kind_check check (kind in (
    'reminder', 'joinAlert', 'missedSession', 'sessionCancelled', 'absenceAcknowledged', 'technicalSupport', 'attendanceSupport',
    'clinicianAlert', 'helpDeskTicket', 'waitlistPromoted', 'makeupBooked', 'makeupOptions', 'supportUpdate', 'makeupReopened'));
