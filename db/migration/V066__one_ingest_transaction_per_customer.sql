-- Ingest's entry to a customer's charges also takes the customer's ingest lock, exclusively: two ingest
-- transactions of one customer (two instances' group-commit batches, or a retried delivery beside a batch)
-- now queue on it, in customer id order (ChargeLocks enters a batch's customers sorted), before either
-- writes a rollup row. Before, they met on the rollup rows themselves, in whatever order each had reached
-- them (a batch that flushes half-way writes in two steps), and PostgreSQL broke the deadlock after its
-- deadlock_timeout (1 s): the p99 of two instances was ~1 s (docs/performance.md, third round).
-- Within one instance a customer's deliveries are already on one writer, so it costs nothing there.
create or replace function rating_enter_charges(customer bigint) returns integer language plpgsql volatile as $$
begin
    perform pg_advisory_xact_lock(hashtextextended('voiceledger.ingest', customer));
    perform pg_advisory_xact_lock_shared(hashtextextended('voiceledger.charges', customer));
    return coalesce((select max(seq) from rating_close where customer_id = customer), 0);
end
$$;
