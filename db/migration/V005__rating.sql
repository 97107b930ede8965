-- Charges (module: rating): one row per rated call and per rated component, replaced when a call is
-- re-rated. Full precision; rounding happens once, on invoice lines.
create table rating_call (
    call_id          text        primary key,
    customer_id      bigint      not null,
    call_time        timestamptz not null,
    pricing_model    text        not null,
    rate_version     integer,
    contract_id      bigint,
    currency         text        not null,
    charge           numeric     not null,
    billable_seconds integer     not null default 0,
    minimum_top_up   numeric     not null default 0,
    unpriced         boolean     not null,
    rate_source      text        not null,
    rated_at         timestamptz not null
);
create index rating_call_customer_time on rating_call (customer_id, call_time);
create index rating_call_unpriced on rating_call (customer_id) where unpriced;

create table rating_component (
    call_id     text    not null references rating_call (call_id) on delete cascade,
    seq         smallint not null,
    customer_id bigint  not null,
    unit_price  numeric,
    charge      numeric not null,
    rate_source text    not null,
    unpriced    boolean not null,
    primary key (call_id, seq)
);

-- Daily rollups for dashboards and caps, in the customer's billing time zone, rebuilt on re-rating.
create table rating_rollup_daily (
    customer_id   bigint  not null,
    day           date    not null,
    layer         text    not null,
    provider      text    not null,
    model         text    not null,
    unit          text    not null,
    quantity      numeric not null,
    provider_cost numeric not null,
    charge        numeric not null,
    calls         integer not null,
    primary key (customer_id, day, layer, provider, model, unit)
);

-- Background jobs with visible progress (re-rating).
create table rating_job (
    id          bigserial   primary key,
    kind        text        not null,
    description text        not null,
    status      text        not null check (status in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    total       integer     not null default 0,
    done        integer     not null default 0,
    error       text,
    created_at  timestamptz not null,
    finished_at timestamptz,
    params      jsonb       not null
);
