-- The billing calendar in whatever order events come (issue 24, BILLING-RULES §5; decision 0061).
-- A finalization that threw (FAILED) is retried by the issuing tick with backoff: attempts so far and
-- when the next one is due (finance sees both, with the reason, on the calendar and the overview).
alter table billing_invoice add column attempts integer not null default 0;
alter table billing_invoice add column next_attempt_at timestamptz;
create index billing_invoice_retry on billing_invoice (next_attempt_at) where status = 'FAILED';

-- A step of the issuing job that failed for one customer (making its drafts, say): the job goes on with
-- the others; the failure stays here, shown to finance, until that customer's step next succeeds
-- (issue 27: one customer never stops issuing for all).
create table billing_issuing_failure (
    customer_id bigint      primary key references customer (id),
    step        text        not null,
    error       text        not null,
    failures    integer     not null,
    first_at    timestamptz not null,
    last_at     timestamptz not null
);
