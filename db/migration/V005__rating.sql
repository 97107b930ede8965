-- Charges (module: rating): one row per rated call and per rated component, replaced when a call is
-- re-rated. Quantities and provider costs are copied from the usage store at rating time so that
-- rollups can be rebuilt from this module's own tables. Full precision; rounding happens once, on
-- invoice lines.
create table rating_call (
    call_id          text        primary key,
    customer_id      bigint      not null,
    call_time        timestamptz not null,
    day              date        not null,     -- call_time's date in the customer's billing time zone
    duration_seconds integer     not null,
    pricing_model    text        not null,
    rate_version     integer,
    contract_id      bigint,
    currency         text        not null,
    charge           numeric     not null,
    billable_seconds integer     not null,
    minimum_top_up   numeric     not null,
    unpriced         boolean     not null,
    rate_source      text        not null,
    rated_at         timestamptz not null
);
create index rating_call_customer_time on rating_call (customer_id, call_time);
create index rating_call_unpriced on rating_call (customer_id) where unpriced;

create table rating_component (
    call_id       text     not null references rating_call (call_id) on delete cascade,
    seq           smallint not null,
    customer_id   bigint   not null,
    layer         text     not null,
    provider      text     not null,
    model         text     not null,
    unit          text     not null,
    quantity      numeric  not null,
    provider_cost numeric  not null,
    unit_price    numeric,
    charge        numeric  not null,
    rate_source   text     not null,
    unpriced      boolean  not null,
    primary key (call_id, seq)
);
create index rating_component_unpriced on rating_component (layer, provider, model, unit) where unpriced;

-- Daily rollups for dashboards and caps, per customer-day (billing time zone) and priced item.
-- Per-minute contracts add a 'voice_minutes' row carrying the all-in charge.
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

-- Background re-rating with visible progress. Created in the transaction of the change that needs it.
create table rating_job (
    id          bigserial   primary key,
    description text        not null,
    customer_id bigint,                        -- null: every customer
    from_time   timestamptz not null,
    status      text        not null check (status in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    total       integer     not null default 0,
    done        integer     not null default 0,
    error       text,
    created_at  timestamptz not null,
    started_at  timestamptz,
    finished_at timestamptz
);
create index rating_job_queued on rating_job (id) where status = 'QUEUED';
