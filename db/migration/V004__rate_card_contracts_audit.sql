-- The central rate card (module: ratecard). A version is immutable once published; the one in
-- force at a call's start (greatest effective_from <= start) prices it.
create table ratecard_version (
    version        integer     primary key,
    effective_from timestamptz not null,          -- ties: the higher version wins (a correction)
    currency       text        not null check (currency ~ '^[A-Z]{3}$'),
    reason         text        not null,
    published_by   text        not null,
    published_at   timestamptz not null
);

create table ratecard_entry (
    version    integer        not null references ratecard_version (version),
    layer      text           not null,
    provider   text           not null,   -- '*' = any provider
    model      text           not null,   -- '*' = any model of the provider
    unit       text           not null,
    unit_price numeric(20, 8) not null check (unit_price >= 0),
    primary key (version, layer, provider, model, unit)
);

-- Customer contracts (module: contract): effective-dated, immutable; a change is a new row.
create table contract (
    id             bigserial   primary key,
    customer_id    bigint      not null references customer (id),
    effective_from timestamptz not null,
    pricing_model  text        not null check (pricing_model in ('RATE_CARD', 'PER_MINUTE')),
    currency       text        not null,
    terms          jsonb       not null,
    reason         text        not null,
    created_by     text        not null,
    created_at     timestamptz not null,
    unique (customer_id, effective_from)
);

-- Who changed what, when and why (module: audit). Append-only.
create table audit_entry (
    id        bigserial   primary key,
    at        timestamptz not null,
    actor     text        not null,
    action    text        not null,
    subject   text        not null,
    reason    text        not null,
    details   jsonb       not null
);
create index audit_entry_at on audit_entry (at desc);
create index audit_entry_subject on audit_entry (subject, at desc);
