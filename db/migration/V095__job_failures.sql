-- Items of background jobs that failed and have not succeeded since (issue #27): shown to finance, counted in
-- voiceledger.job.failures; the job itself went on with its other items. A row goes when its item succeeds.
create table job_failure (
    job      text        not null,
    subject  text        not null,
    error    text        not null,
    failures integer     not null,
    first_at timestamptz not null,
    last_at  timestamptz not null,
    primary key (job, subject)
);
