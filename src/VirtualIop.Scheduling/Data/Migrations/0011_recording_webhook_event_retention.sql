-- Recording webhook event ids are forgotten by age (Scheduling:RecordingWebhook:EventRetention); this keeps each pass
-- from scanning the whole table.
create index if not exists recording_webhook_event_received on recording_webhook_event (received_at);
