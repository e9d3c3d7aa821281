-- A session Scheduling cancelled is never swept: nobody can miss a session that did not take place.
alter table attendance_session add column cancelled_at timestamptz;
