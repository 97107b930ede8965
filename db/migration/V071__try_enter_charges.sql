-- A group-commit batch enters its customers' charges without waiting (issue #27, decision 0065): the same
-- locks as rating_enter_charges (V066), tried instead of waited for. Null when either is held elsewhere (a
-- re-rating part or another instance's batch holds the ingest lock, a close holds the charge lock): the batch
-- then rolls back and is written again without that customer's deliveries, which wait for a later batch,
-- instead of every customer on the writer waiting behind one. A lock taken before the other was refused is
-- released by that rollback.
create function rating_try_enter_charges(customer bigint) returns integer language plpgsql volatile as $$
begin
    if not pg_try_advisory_xact_lock(hashtextextended('voiceledger.ingest', customer)) then
        return null;
    end if;
    if not pg_try_advisory_xact_lock_shared(hashtextextended('voiceledger.charges', customer)) then
        return null;
    end if;
    return coalesce((select max(seq) from rating_close where customer_id = customer), 0);
end
$$;
