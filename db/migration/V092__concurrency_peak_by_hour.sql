-- The most calls a customer had in progress at once, per hour (issue #29, decision 0081): kept at admission, under
-- the customer's admission lock, as the count of its open slots right after taking one (calls in progress only
-- rise at an admission, so the largest count seen at an admission within an hour is that hour's peak). The portal's
-- chart and the day's peak read this small table instead of scanning the slots. Hours are UTC hours.
create table spendcap_concurrency_hour (
    customer_id bigint      not null references customer (id),
    hour        timestamptz not null,
    peak        integer     not null check (peak >= 0),
    primary key (customer_id, hour)
);
