-- Re-rating customer by customer, beside ingest (decision 0064, issue #26).
--
-- A job now goes through the calls in customer order (customer id ascending, each customer's calls newest
-- first, as the index usage_call_customer_time holds them), so its progress names the customer as well as the
-- last call re-rated. A job that was running when this migration ran has after_customer_id null: it starts
-- again from its first call (re-rating is idempotent: it leaves the same charges).
alter table rating_job
    add column after_customer_id bigint,
    -- calls per second over the instance's run of the job, and when progress was last recorded: the rate card
    -- page shows the rate and the time left from them
    add column rate              numeric,
    add column progress_at       timestamptz;

-- Finance can pause a job (PAUSED: no instance claims it; the one running it stops after its current
-- transaction) and resume it (QUEUED again: it goes on after its last re-rated call).
alter table rating_job drop constraint rating_job_status_check;
alter table rating_job add constraint rating_job_status_check
    check (status in ('QUEUED', 'RUNNING', 'PAUSED', 'DONE', 'FAILED'));
