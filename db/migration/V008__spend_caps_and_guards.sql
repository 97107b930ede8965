-- Spend caps (module: spendcap). One row per customer that has settings; also the row admission
-- locks, so that concurrent admissions of one customer are decided one after the other.
create table spendcap_setting (
    customer_id          bigint      primary key references customer (id),
    customer_cap         numeric(20, 2),          -- the customer's own cap, lower than finance's
    suspended            boolean     not null default false,
    suspended_reason     text,
    default_assistant_id text,                    -- the assistant to answer assistant-request with
    alert_webhook_url    text,
    alert_webhook_secret text,
    updated_at           timestamptz not null
);

-- A reservation per admitted call: counts against the cap until the call is rated or it expires.
create table spendcap_reservation (
    id          bigserial      primary key,
    customer_id bigint         not null,
    call_id     text,
    amount      numeric(20, 6) not null,
    created_at  timestamptz    not null,
    expires_at  timestamptz    not null,
    released_at timestamptz
);
create index spendcap_reservation_open on spendcap_reservation (customer_id) where released_at is null;
create index spendcap_reservation_call on spendcap_reservation (call_id) where released_at is null;

-- Alerts (caps and cost guards), once per customer, month, kind and threshold; delivered to the
-- customer's webhook with retries.
create table spendcap_alert (
    id               bigserial   primary key,
    customer_id      bigint      not null references customer (id),
    month            date        not null,
    kind             text        not null,
    threshold        integer     not null default 0,
    message          text        not null,
    created_at       timestamptz not null,
    delivery_status  text        not null default 'NONE' check (delivery_status in ('NONE', 'PENDING', 'DELIVERED', 'FAILED')),
    delivery_attempts integer    not null default 0,
    next_attempt_at  timestamptz,
    delivery_error   text,
    unique (customer_id, month, kind, threshold)
);
create index spendcap_alert_pending on spendcap_alert (next_attempt_at) where delivery_status = 'PENDING';

-- Cost guard findings (module: guard): one per call and rule, with the evidence.
create table guard_finding (
    id          bigserial   primary key,
    customer_id bigint      not null references customer (id),
    call_id     text        not null,
    rule        text        not null,
    evidence    text        not null,
    wasted_share numeric    not null default 0,   -- share of the call's charge thought wasted
    wasted      numeric     not null default 0,   -- wasted_share × the call's charge, once rated
    call_time   timestamptz not null,
    created_at  timestamptz not null,
    unique (call_id, rule)
);
create index guard_finding_customer on guard_finding (customer_id, call_time desc);

-- Per-customer guard settings: rules switched off, and the charge above which a call is flagged.
create table guard_setting (
    customer_id             bigint  primary key references customer (id),
    disabled_rules          text    not null default '',
    expensive_call_threshold numeric(20, 2)
);

-- Tool calls seen per call, so that the same delivery arriving twice is noticed.
create table guard_tool_call (
    call_id      text        not null,
    tool_call_id text        not null,
    customer_id  bigint,
    seen         integer     not null default 1,
    first_seen   timestamptz not null,
    primary key (call_id, tool_call_id)
);
