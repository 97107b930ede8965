-- The usage store (module: usage): one row per call, its cost components, its status timeline,
-- and Twilio's view of the same call. Idempotency is enforced by keys, not only by code.
create table usage_call (
    id                  text        primary key,              -- the platform's call.id
    customer_id         bigint references customer (id),      -- null while unattributed
    attribution_key     text,                                 -- metadata customer key as sent
    org_id              text,
    type                text,
    assistant_id        text,
    phone_number_id     text,
    squad_id            text,
    customer_number     text,
    twilio_call_sid     text,
    status              text        not null,
    status_rank         smallint    not null,
    call_time           timestamptz not null,             -- startedAt, else createdAt, else first seen
    created_at          timestamptz,
    started_at          timestamptz,
    ended_at            timestamptz,
    duration_seconds    integer     not null default 0,
    ended_reason        text,
    provider_cost       numeric(20, 10),
    currency            text        not null default 'USD',
    reported            boolean     not null default false,   -- end-of-call report received
    first_seen_at       timestamptz not null,
    reported_at         timestamptz
);
create index usage_call_customer_time on usage_call (customer_id, call_time desc, id desc);
create index usage_call_unattributed on usage_call (first_seen_at desc) where customer_id is null;
create index usage_call_assistant on usage_call (assistant_id) where customer_id is null;
create index usage_call_phone_number on usage_call (phone_number_id) where customer_id is null;
create index usage_call_org on usage_call (org_id) where customer_id is null;
create index usage_call_attribution_key on usage_call (attribution_key) where customer_id is null;
create index usage_call_twilio_sid on usage_call (twilio_call_sid);

create table usage_call_component (
    call_id       text          not null references usage_call (id),
    seq           smallint      not null,
    customer_id   bigint references customer (id),
    cost_type     text          not null,            -- costs[].type it came from
    layer         text          not null,
    provider      text          not null,
    model         text          not null,
    unit          text          not null,
    quantity      numeric(24, 6) not null,
    provider_cost numeric(20, 10) not null,
    primary key (call_id, seq)
);
create index usage_call_component_customer on usage_call_component (customer_id);

create table usage_call_status (
    call_id     text        not null references usage_call (id),
    status      text        not null,
    occurred_at timestamptz not null,
    ended_reason text,
    primary key (call_id, status, occurred_at)
);

-- Transcript, messages and recording URLs, kept for disputes and cost guards.
create table usage_call_artifact (
    call_id  text  primary key references usage_call (id),
    artifact jsonb not null,
    analysis jsonb
);

create table usage_twilio_call (
    call_sid        text        primary key,
    account_sid     text,
    call_status     text        not null,
    direction       text,
    from_number     text,
    to_number       text,
    duration_seconds integer,
    sequence_number integer     not null,
    occurred_at     timestamptz,
    updated_at      timestamptz not null
);
