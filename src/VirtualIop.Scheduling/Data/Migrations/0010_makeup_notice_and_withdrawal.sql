-- The absence notice a makeup was offered for (null after a no-show), so withdrawing that notice withdraws that offer
-- only; and when it was withdrawn. status gains 'withdrawn': offered, then the notice was withdrawn before any choice.
alter table makeup
    add column notice_id    uuid,
    add column withdrawn_at timestamptz;
