-- Leases on background work (issue 14, item 3): the instance running a rating job or a billing run
-- holds it until lease_expires_at and extends it as it goes; a RUNNING row whose lease has expired
-- (its instance died) is claimed again by any instance and resumed from its recorded progress.
alter table rating_job
    add column lease_owner      text,
    add column lease_expires_at timestamptz,
    add column claims           integer not null default 0,
    add column after_time       timestamptz,   -- progress: the last call re-rated (time, id)
    add column after_call_id    text;
alter table billing_run
    add column lease_owner      text,
    add column lease_expires_at timestamptz,
    add column claims           integer not null default 0,
    add column started_at       timestamptz;
create index rating_job_running on rating_job (lease_expires_at) where status = 'RUNNING';
create index billing_run_open on billing_run (id) where status in ('QUEUED', 'RUNNING');
