-- The webhook log partitioned by month of received_at (module: ingestion,
-- docs/decisions/0055-webhook-log-monthly-partitions.md), keeping every row and without copying it:
-- the table becomes the partition for everything received before the next month (a CHECK constraint
-- validated first, so the attach does not scan it again), a default partition catches what no month
-- covers, and the next months are created ahead by the retention job (WebhookLogPartitions), which also
-- drops old months once every body in them is purged. The key becomes (id, received_at): PostgreSQL wants
-- the partition key in it; lookups by id alone still use its index on each partition.
do $$
declare
    bound timestamptz;
    bound_text text;
begin
    -- the first month boundary after now and after every row already there
    select date_trunc('month', greatest(now(), coalesce(max(received_at), now())) at time zone 'UTC')
               at time zone 'UTC' + interval '1 month'
      into bound from ingestion_webhook_event;
    bound_text := to_char(bound at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');

    alter table ingestion_webhook_event rename to ingestion_webhook_event_legacy;
    alter sequence ingestion_webhook_event_id_seq owned by none;
    alter index ingestion_webhook_event_received rename to ingestion_webhook_event_legacy_received;
    alter index ingestion_webhook_event_status rename to ingestion_webhook_event_legacy_status;
    alter index ingestion_webhook_event_call rename to ingestion_webhook_event_legacy_call;
    alter index ingestion_webhook_event_purgeable rename to ingestion_webhook_event_legacy_purgeable;

    -- the new key, built once here (attach would build it otherwise), in place of the key on id alone
    create unique index ingestion_webhook_event_legacy_key on ingestion_webhook_event_legacy (id, received_at);
    alter table ingestion_webhook_event_legacy drop constraint ingestion_webhook_event_pkey;
    alter table ingestion_webhook_event_legacy
        add constraint ingestion_webhook_event_legacy_pkey primary key using index ingestion_webhook_event_legacy_key;

    create table ingestion_webhook_event (
        id             bigint      not null default nextval('ingestion_webhook_event_id_seq'),
        source         text        not null
            constraint ingestion_webhook_event_source_check check (source in ('vapi', 'twilio', 'backfill')),
        received_at    timestamptz not null,
        content_type   text,
        headers        jsonb       not null,
        body           text,
        message_type   text,
        call_id        text,
        status         text        not null constraint ingestion_webhook_event_status_check
            check (status in ('RECEIVED', 'PROCESSED', 'DUPLICATE', 'IGNORED', 'FAILED')),
        error          text,
        processed_at   timestamptz,
        body_purged_at timestamptz,
        constraint ingestion_webhook_event_pkey primary key (id, received_at)
    ) partition by range (received_at);
    alter sequence ingestion_webhook_event_id_seq owned by ingestion_webhook_event.id;
    create index ingestion_webhook_event_received on ingestion_webhook_event (received_at desc);
    create index ingestion_webhook_event_status on ingestion_webhook_event (status, received_at desc);
    create index ingestion_webhook_event_call on ingestion_webhook_event (call_id);
    create index ingestion_webhook_event_purgeable on ingestion_webhook_event (processed_at)
        where body is not null and status in ('PROCESSED', 'DUPLICATE', 'IGNORED');
    begin
        alter table ingestion_webhook_event alter column body set compression lz4;
    exception when feature_not_supported then
        null; -- pglz, as V060 says
    end;

    -- proven once by the constraint, so that attaching does not scan the table again
    execute format('alter table ingestion_webhook_event_legacy add constraint ingestion_webhook_event_legacy_bound '
        'check (received_at < %L) not valid', bound_text);
    alter table ingestion_webhook_event_legacy validate constraint ingestion_webhook_event_legacy_bound;
    execute format('alter table ingestion_webhook_event attach partition ingestion_webhook_event_legacy '
        'for values from (minvalue) to (%L)', bound_text);
    alter table ingestion_webhook_event_legacy drop constraint ingestion_webhook_event_legacy_bound;

    execute format('create table %I partition of ingestion_webhook_event for values from (%L) to (%L)',
        'ingestion_webhook_event_' || to_char(bound at time zone 'UTC', 'YYYY_MM'), bound_text,
        to_char((bound at time zone 'UTC') + interval '1 month', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
    create table ingestion_webhook_event_default partition of ingestion_webhook_event default;
end $$;
