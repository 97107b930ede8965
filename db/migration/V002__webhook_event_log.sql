-- Every authenticated webhook delivery, stored before anything else is done with it (module: ingestion).
-- Append-only apart from the processing outcome columns.
create table ingestion_webhook_event (
    id           bigserial primary key,
    source       text        not null check (source in ('vapi', 'twilio', 'backfill')),
    received_at  timestamptz not null,
    content_type text,
    headers      jsonb       not null,
    body         text        not null,
    message_type text,
    call_id      text,
    status       text        not null check (status in ('RECEIVED', 'PROCESSED', 'DUPLICATE', 'IGNORED', 'FAILED')),
    error        text,
    processed_at timestamptz
);
create index ingestion_webhook_event_received on ingestion_webhook_event (received_at desc);
create index ingestion_webhook_event_status on ingestion_webhook_event (status, received_at desc);
create index ingestion_webhook_event_call on ingestion_webhook_event (call_id);
