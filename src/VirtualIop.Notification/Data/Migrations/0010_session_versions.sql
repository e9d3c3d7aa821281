-- Scheduling's session reports arrive in any order (the relay publishes a batch concurrently; retries and replicas
-- reorder further), so Notification's copy keeps the version each fact came with and applies a report only when it is
-- newer. times_version: the version of the report whose start, end and time zone the row holds. A cancellation is
-- final (Scheduling never reinstates a session), so it is kept apart: cancelled_version says which report cancelled it,
-- and no report about times undoes it. A cancellation heard of before its SessionScheduled makes the row as a tombstone
-- (kind 'unknown', the cancelled start and zone, no end yet) that the late SessionScheduled fills in.
alter table session
    add column times_version     bigint not null default 0,
    add column cancelled_version bigint,
    alter column ends_at drop not null;

-- The version of the report that made each patient present or removed; a removal heard of first stays as a tombstone
-- that an older SessionScheduled or SessionParticipantAdded does not undo.
alter table session_participant add column version bigint not null default 0;

-- The makeup's version (MakeupOffered/Booked/Expired/Withdrawn.Version) of the newest report applied, and that of the
-- offer whose kinds and expiry the row holds (an offer heard of after its booking or ending still fills them in); null
-- while only reports from publishers older than the field were heard of, which are ordered by their times as before.
alter table makeup_offer
    add column version       bigint,
    add column offer_version bigint;
