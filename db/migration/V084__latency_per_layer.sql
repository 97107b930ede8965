-- Latency per layer (issue #30 part 2, docs/decisions/0075-latency-per-layer.md), module: latency.

-- Each reported call's performance metrics: one value per layer for the call and every turn's latencies,
-- for the call detail. Written once, with the call's first report.
create table latency_call (
    customer_id  bigint      not null references customer (id),
    call_id      text        not null,
    assistant_id text        not null,
    call_time    timestamptz not null,
    per_layer    jsonb       not null,
    turns        jsonb       not null,
    primary key (customer_id, call_id)
);

-- A fixed-bucket histogram of the calls' per-layer values per customer, assistant, hour, layer and the
-- layer's provider and model ('-' where the layer has none): percentiles are read from these counts,
-- never from the calls. Added to on ingest, in the recording transaction (summed per batch, decision 0048).
create table latency_rollup_hourly (
    customer_id  bigint      not null references customer (id),
    hour         timestamptz not null,
    assistant_id text        not null,
    layer        text        not null,
    provider     text        not null,
    model        text        not null,
    bucket       smallint    not null,
    calls        bigint      not null,
    primary key (customer_id, hour, assistant_id, layer, provider, model, bucket)
);
create index latency_rollup_hourly_hour on latency_rollup_hourly (hour);

-- A customer's p95 threshold per assistant: the last hour's p95 turn latency above it raises an alert.
create table latency_alert_setting (
    customer_id  bigint      not null references customer (id),
    assistant_id text        not null,
    p95_ms       integer     not null check (p95_ms > 0),
    updated_at   timestamptz not null,
    updated_by   text        not null,
    primary key (customer_id, assistant_id)
);
