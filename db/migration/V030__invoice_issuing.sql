-- Issuing (module: billing, BILLING-RULES §5): a month that has ended in the customer's zone is a DRAFT
-- invoice until its grace period ends, then FINALIZED on its own (numbered, immutable). HELD waits for
-- finance (a customer on hold, or usage not priced yet); FAILED is a finalization that threw.
-- A draft keeps no lines: they are computed from the charges whenever it is read, so late calls of
-- the month show on it at once; finalizing writes them once, as the close always did.
alter table billing_invoice drop constraint billing_invoice_status_check;
alter table billing_invoice add constraint billing_invoice_status_check
    check (status in ('DRAFT', 'HELD', 'FAILED', 'FINALIZED'));
alter table billing_invoice alter column finalized_at drop not null;
alter table billing_invoice add column finalizes_at timestamptz;      -- the end of the grace period; null once final
alter table billing_invoice add column hold_reason text;               -- why it is HELD or FAILED
alter table billing_invoice add column created_at timestamptz;
alter table billing_invoice add constraint billing_invoice_final_is_dated
    check (status <> 'FINALIZED' or (finalized_at is not null and finalizes_at is null));
-- the issuing tick looks for drafts whose grace has ended
create index billing_invoice_due on billing_invoice (finalizes_at) where status = 'DRAFT';

-- Per customer: its own grace period (null: the default setting) and finance's hold (manual issuance).
alter table billing_policy add column grace_period_seconds bigint check (grace_period_seconds >= 0);
alter table billing_policy add column hold boolean not null default false;
alter table billing_policy add column hold_reason text;

-- The customer is told once per finalized invoice (module: spendcap, which keeps its webhook and
-- e-mail): an outbox row written in the finalizing transaction, delivered by whichever instance
-- claims it (for update skip locked), retried with backoff.
create table spendcap_invoice_notice (
    invoice_id      bigint      primary key,
    customer_id     bigint      not null references customer (id),
    payload         text        not null,           -- the signed body, fixed at finalization
    webhook_status  text        not null check (webhook_status in ('NONE', 'PENDING', 'DELIVERED', 'FAILED')),
    webhook_attempts integer    not null default 0,
    webhook_error   text,
    email_status    text        not null check (email_status in ('NONE', 'PENDING', 'SENT', 'FAILED')),
    email_attempts  integer     not null default 0,
    email_error     text,
    next_attempt_at timestamptz not null,
    created_at      timestamptz not null
);
create index spendcap_invoice_notice_due on spendcap_invoice_notice (next_attempt_at)
    where webhook_status = 'PENDING' or email_status = 'PENDING';
