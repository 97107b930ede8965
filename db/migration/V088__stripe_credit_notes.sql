-- Credit notes pushed to Stripe as Stripe credit notes against the pushed invoice (module: stripe; issue #31,
-- decision 0078). Queued in the transaction that issues the credit note; claimed, retried and made idempotent
-- like invoice pushes (decision 0032): the Stripe id is kept as soon as it exists, and a retry after Stripe
-- forgot its idempotency key finds the credit note by our id in its metadata.
create table stripe_credit_note_push (
    credit_note_id        bigint      primary key references billing_invoice (id),
    invoice_id            bigint      not null references billing_invoice (id),
    customer_id           bigint      not null,
    status                text        not null check (status in ('PENDING', 'PUSHED', 'FAILED')),
    stripe_credit_note_id text        unique,
    attempts              integer     not null default 0,
    error                 text,
    next_attempt_at       timestamptz,
    claimed_until         timestamptz,
    updated_at            timestamptz not null
);
create index stripe_credit_note_push_open on stripe_credit_note_push (credit_note_id) where status <> 'PUSHED';
