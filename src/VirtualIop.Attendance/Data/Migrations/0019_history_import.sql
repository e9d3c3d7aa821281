-- Attendance history a clinic brings along when it moves onto VirtualIop (POST /api/attendance/history): past sessions
-- with decided records. imported_at marks such a session: it was never scheduled here, is never swept, raises no
-- messages, makeups or follow-ups, and is left out of billing (the clinic's previous system billed those days).
alter table attendance_session add column imported_at timestamptz;

-- The minutes the previous system recorded for an imported record; live records measure minutes from presence instead.
alter table attendance_record add column imported_minutes int;
