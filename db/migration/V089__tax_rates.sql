-- Configured tax rates (issue #31, decision 0079; module: billing): one rate per customer, set by finance,
-- audited. No row: no tax on the customer's invoices (as before). The tax is a line of kind 'tax' on the invoice;
-- the invoice's total includes it, its subtotal and credits do not (so revenue, which reads subtotal + credits
-- and the lines by kind, never counts it as revenue).
create table billing_tax_rate (
    customer_id bigint        primary key references customer (id),
    rate        numeric(7, 6) not null check (rate >= 0 and rate < 1),
    label       text          not null,
    changed_by  text          not null,
    changed_at  timestamptz   not null
);
