-- The outbox relay publishes a batch concurrently, so a makeup's withdrawal or expiry can arrive before the offer it
-- ends. An ending heard of first is kept on a row with no offer yet, and offered_at (MakeupOffered.OfferedAt; null from
-- older publishers) orders the offer against it, so the late offer is not taken as live.
alter table makeup_offer
    add column offered_at timestamptz,
    alter column offered_kinds drop not null,
    alter column expires_at drop not null;
