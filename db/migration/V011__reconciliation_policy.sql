-- Per-customer reconciliation policy (module: billing): flag differences only, or bill the telephony
-- minutes Twilio billed beyond what the platform reported as an invoice line.
create table billing_policy (
    customer_id           bigint primary key references customer (id),
    reconciliation_policy text   not null default 'FLAG_ONLY' check (reconciliation_policy in ('FLAG_ONLY', 'BILL_DELTA'))
);
