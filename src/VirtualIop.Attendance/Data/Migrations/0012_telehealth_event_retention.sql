-- Event ids are kept only for Attendance:Telehealth:EventRetention; the purge finds the old ones by when they came in.
create index telehealth_event_received on telehealth_event (received_at);
