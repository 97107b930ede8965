-- Which invoice billed a call (module: rating keeps the column; billing sets it through rating's API).
-- A call with an invoice is in a closed period: re-rating never touches it.
alter table rating_call add column invoice_id bigint;
alter table rating_component add column billed_unit_price numeric;  -- unit price with markup: quantity × it = charge
create index rating_call_uninvoiced on rating_call (customer_id, day) where invoice_id is null;

-- Invoices (module: billing): finalised once, never changed; corrections are credit notes.
create table billing_invoice (
    id           bigserial   primary key,
    customer_id  bigint      not null references customer (id),
    month        date        not null,            -- first day of the billing month
    number       text        not null unique,
    kind         text        not null check (kind in ('INVOICE', 'CREDIT_NOTE')),
    corrects     bigint references billing_invoice (id),
    currency     text        not null,
    subtotal     numeric(20, 2) not null,
    credits      numeric(20, 2) not null,
    total        numeric(20, 2) not null,
    status       text        not null check (status in ('FINALIZED')),
    finalized_at timestamptz not null
);
create unique index billing_invoice_one_per_month on billing_invoice (customer_id, month) where kind = 'INVOICE';

create table billing_invoice_line (
    invoice_id  bigint         not null references billing_invoice (id),
    line_no     smallint       not null,
    kind        text           not null,
    description text           not null,
    quantity    numeric,
    unit        text,
    unit_price  numeric,
    amount      numeric(20, 2) not null,
    explanation jsonb          not null,
    primary key (invoice_id, line_no)
);

-- Credit grants and their ledger: a grant's balance is the sum of its entries.
create table billing_credit_grant (
    id             bigserial      primary key,
    customer_id    bigint         not null references customer (id),
    amount         numeric(20, 2) not null check (amount > 0),
    currency       text           not null,
    effective_from timestamptz    not null,
    expires_at     timestamptz,
    priority       integer        not null,
    reason         text           not null,
    created_by     text           not null,
    created_at     timestamptz    not null
);

create table billing_credit_entry (
    id         bigserial      primary key,
    grant_id   bigint         not null references billing_credit_grant (id),
    customer_id bigint        not null,
    at         timestamptz    not null,
    kind       text           not null check (kind in ('GRANTED', 'APPLIED', 'VOIDED')),
    amount     numeric(20, 2) not null,        -- + granted, - applied or voided
    invoice_id bigint references billing_invoice (id),
    note       text           not null
);
create index billing_credit_entry_grant on billing_credit_entry (grant_id);

-- Commitment drawdown ledger: what each invoice's usage drew from its commitment period.
create table billing_commitment_entry (
    id           bigserial      primary key,
    customer_id  bigint         not null,
    period_start date           not null,
    kind         text           not null check (kind in ('USAGE', 'TRUE_UP', 'PREPAID', 'PREPAID_DRAWN')),
    amount       numeric(20, 2) not null,
    invoice_id   bigint         not null references billing_invoice (id),
    at           timestamptz    not null
);
create index billing_commitment_entry_period on billing_commitment_entry (customer_id, period_start);

-- Month-end close runs, with progress and per-customer results.
create table billing_run (
    id          bigserial   primary key,
    month       date        not null,
    customer_id bigint,
    status      text        not null check (status in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    total       integer     not null default 0,
    done        integer     not null default 0,
    failed      integer     not null default 0,
    created_by  text        not null,
    created_at  timestamptz not null,
    finished_at timestamptz
);

create table billing_run_result (
    run_id      bigint not null references billing_run (id),
    customer_id bigint not null,
    outcome     text   not null check (outcome in ('INVOICED', 'ALREADY_CLOSED', 'FAILED')),
    invoice_id  bigint,
    error       text,
    primary key (run_id, customer_id)
);
