-- Dunning (issue #31, decision 0088): one case per customer while an invoice's payment has failed, following its
-- oldest such invoice up a ladder (reminded, overdue: calls refused, suspended); finance may pause a customer's.
create table spendcap_dunning (
    customer_id        bigint      primary key references customer (id),
    invoice_id         bigint      not null,
    failed_at          timestamptz not null,
    step               text        not null check (step in ('FAILED', 'REMINDED', 'OVERDUE', 'SUSPENDED')),
    step_at            timestamptz not null,
    suspended_by_us    boolean     not null default false
);

create table spendcap_dunning_pause (
    customer_id bigint      primary key references customer (id),
    reason      text        not null,
    paused_by   text        not null,
    paused_at   timestamptz not null
);
