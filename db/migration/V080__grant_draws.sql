-- Grants in units (BILLING-RULES §7, decisions 0072-0073; module: rating): what each call's components drew
-- from the grants of its customer's contract. A row per call, component, grant and bucket (the grant's units of
-- the period, or the units rolled over into it). Written under the customer's ingest lock (ingest and re-rating
-- both hold it), so a grant is never drawn twice by two instances. Re-rating an open call deletes its rows and
-- draws again in call order; a call an invoice covers keeps them (corrections there are credit notes).
create table rating_grant_draw (
    customer_id       bigint      not null,
    call_id           text        not null,
    seq               integer     not null,      -- the component's seq on the call
    grant_id          text        not null,      -- layer:provider:model:unit:PERIOD (UnitGrant.grantId)
    period_start      date        not null,      -- the grant period drawn from, in the billing time zone
    rolled_over       boolean     not null,      -- drawn from the units rolled over into that period
    units             numeric     not null check (units > 0),
    layer             text        not null,      -- the component's, so that invoice lines find their grants
    provider          text        not null,
    model             text        not null,
    unit              text        not null,
    billed_unit_price numeric,                   -- the component's billed unit price (null: unpriced)
    call_time         timestamptz not null,
    drawn_at          timestamptz not null,
    primary key (customer_id, call_id, seq, grant_id, rolled_over)
);
create index rating_grant_draw_balance on rating_grant_draw (customer_id, grant_id, period_start);
create index rating_grant_draw_order on rating_grant_draw (customer_id, call_time);
