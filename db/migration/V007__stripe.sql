-- Stripe (module: stripe): customer mapping, one push per finalised invoice, received events.
create table stripe_customer (
    customer_id        bigint primary key references customer (id),
    stripe_customer_id text   not null unique
);

create table stripe_invoice_push (
    invoice_id        bigint      primary key references billing_invoice (id),
    customer_id       bigint      not null,
    status            text        not null check (status in ('PENDING', 'PUSHED', 'FAILED')),
    stripe_invoice_id text,
    attempts          integer     not null default 0,
    error             text,
    payment_status    text        not null default 'OPEN' check (payment_status in ('OPEN', 'PAID', 'PAYMENT_FAILED')),
    updated_at        timestamptz not null
);
create index stripe_invoice_push_pending on stripe_invoice_push (invoice_id) where status = 'PENDING';
create unique index stripe_invoice_push_stripe_id on stripe_invoice_push (stripe_invoice_id);

create table stripe_event (
    id          text        primary key,        -- Stripe's event id: a redelivery is a duplicate
    type        text        not null,
    received_at timestamptz not null,
    payload     text        not null
);
