-- What-if offers (module: rating): a pricing scenario finance shares with a customer, who sees last
-- month re-priced under it beside what it was charged. Immutable; a new offer replaces nothing.
create table rating_whatif_offer (
    id            bigint generated always as identity primary key,
    customer_id   bigint      not null,
    label         text        not null,
    rate_version  integer,
    keep_contract boolean     not null,
    terms         jsonb,
    note          text        not null,
    created_by    text        not null,
    created_at    timestamptz not null
);
create index rating_whatif_offer_customer on rating_whatif_offer (customer_id, created_at desc);
