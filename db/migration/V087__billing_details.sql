-- Billing details (issue #31, decision 0077): who the invoice is addressed to. Kept by finance and the
-- customer's admins (module: customer), validated before they are stored, audited on every change.
-- version counts changes, so the Stripe push knows whether Stripe's customer still shows older details.
create table customer_billing_details (
    customer_id bigint      primary key references customer (id),
    details     jsonb       not null,
    version     bigint      not null check (version > 0),
    changed_by  text        not null,
    changed_at  timestamptz not null
);

-- The details as they stood when the invoice was finalized (module: billing): a final invoice never changes,
-- so neither do the name and address printed on it, whatever the customer edits later.
create table billing_invoice_details (
    invoice_id bigint primary key references billing_invoice (id),
    details    jsonb  not null
);

-- The details version last sent to Stripe's customer (module: stripe): 0 = none sent yet.
alter table stripe_customer add column details_version bigint not null default 0;
