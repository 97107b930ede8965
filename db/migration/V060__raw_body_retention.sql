-- Raw webhook bodies are purged a while after their delivery was processed (module: ingestion,
-- docs/decisions/0053-raw-body-retention.md). The row stays as the webhook log's record of the delivery
-- (source, time, type, call, outcome); a null body means it was purged. FAILED and RECEIVED deliveries
-- keep their body until a retry succeeds.
alter table ingestion_webhook_event alter column body drop not null;
alter table ingestion_webhook_event add column body_purged_at timestamptz;

-- What the retention job looks for: bodies still held by deliveries processed successfully, oldest first.
create index ingestion_webhook_event_purgeable on ingestion_webhook_event (processed_at)
    where body is not null and status in ('PROCESSED', 'DUPLICATE', 'IGNORED');

-- Bodies are kept compressed by PostgreSQL's TOAST: pglz by default, which already takes the large ones
-- (end-of-call reports, 5-10 KB) to 15-40 % of their size. lz4 is faster where the server has it (the
-- embedded PostgreSQL 17 here is built without it: then this changes nothing).
do $$
begin
    alter table ingestion_webhook_event alter column body set compression lz4;
exception when feature_not_supported then
    raise notice 'lz4 not available on this server: raw bodies stay pglz-compressed';
end $$;
