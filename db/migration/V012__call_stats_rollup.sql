-- Call statistics rollup (module: rating): per customer-day (billing time zone), assistant and
-- call-duration bucket, how many calls, their seconds and how many are unpriced. The dashboard's
-- calls, minutes and duration distribution read this instead of scanning calls. Buckets are named by
-- their lower bound in seconds: 0, 15, 30, 60, 120, 300, 600, 1200 (see rating.DurationBuckets).
create table rating_calls_daily (
    customer_id      bigint  not null,
    day              date    not null,
    assistant_id     text    not null,
    duration_bucket  integer not null,
    calls            integer not null,
    duration_seconds bigint  not null,
    unpriced_calls   integer not null,
    primary key (customer_id, day, assistant_id, duration_bucket)
);

insert into rating_calls_daily (customer_id, day, assistant_id, duration_bucket, calls, duration_seconds, unpriced_calls)
select customer_id, day, assistant_id,
       (array[0, 15, 30, 60, 120, 300, 600, 1200])[width_bucket(duration_seconds, array[15, 30, 60, 120, 300, 600, 1200]) + 1],
       count(*), sum(duration_seconds), count(*) filter (where unpriced)
from rating_call
group by 1, 2, 3, 4;
