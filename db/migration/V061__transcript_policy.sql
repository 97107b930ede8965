-- How long a customer's call transcripts (usage_call_artifact: transcript, messages, recording URLs,
-- analysis) are kept (module: usage, docs/decisions/0054-transcripts-per-customer-policy.md). No row: kept
-- always, as before. NEVER: not stored at all (the cost guards read them from the delivery in memory);
-- DAYS: purged by the retention job once the call is older than that.
create table usage_transcript_policy (
    customer_id bigint      primary key references customer (id),
    keep        text        not null check (keep in ('ALWAYS', 'DAYS', 'NEVER')),
    days        integer     check ((keep = 'DAYS') = (days is not null) and (days is null or days between 1 and 3650)),
    changed_by  text        not null,
    changed_at  timestamptz not null
);

-- The ingest path caches the policy behind the settings counter (decision 0045).
create trigger usage_transcript_policy_settings_version after insert or update or delete on usage_transcript_policy
    for each row execute function settings_version_bump();
create trigger usage_transcript_policy_settings_version_truncate after truncate on usage_transcript_policy
    for each statement execute function settings_version_bump();
