-- Calls whose metadata claims one customer while a mapping (assistant, phone number, org) says another
-- (issue 15, decision 0035): the mapping wins unless voiceledger.attribution.trust-metadata, and finance
-- sees each disagreement here, once per claim, mapping and hint, with when it was first and last seen.
create table customer_attribution_conflict (
    id bigserial primary key,
    claimed_customer_id bigint not null references customer (id),
    mapped_customer_id bigint not null references customer (id),
    hint_type text not null,
    hint_value text not null,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    unique (claimed_customer_id, mapped_customer_id, hint_type, hint_value)
);
