-- A session's curriculum topic, from its SessionScheduled: the content recorded for a session takes the session's own
-- topic rather than one the caller names, which Engagement could not check.
alter table session_roster add column topic_id uuid;
