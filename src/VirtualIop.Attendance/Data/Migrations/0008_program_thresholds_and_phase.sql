-- Each program may set its own late and partial thresholds, notice hours and always-excused reasons (null: the
-- service's configured default, Attendance:LateAfter, :PartialBelowPercent, :NoticeHours, :ExcusedReasons), and
-- the start of its current phase, from which the minimum attendance is counted instead of the rolling window.
alter table program_policy
    add column late_after_minutes    int,
    add column partial_below_percent int,
    add column notice_hours          int,
    add column excused_reasons       text[],
    add column phase_starts_at       timestamptz;
