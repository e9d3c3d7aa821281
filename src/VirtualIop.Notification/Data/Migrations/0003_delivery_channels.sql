-- A delivery goes out on the first of the patient's channels that takes it; channel is the one it was last sent
-- or tried on, and failed_channels those that refused it for good, which later passes do not try again.
alter table delivery drop constraint delivery_channel_check;
alter table delivery add constraint delivery_channel_check check (channel in ('email', 'sms', 'push'));
alter table delivery add column failed_channels text[] not null default '{}';
