-- Alert delivery with several instances (module: spendcap; decision 0031). A round claims due alerts by
-- moving their next attempt past a lease (for update skip locked), so no other instance takes them while
-- they are being sent; the e-mail channel gets the same backoff the webhook channel has.
alter table spendcap_alert add column email_next_attempt_at timestamptz;
alter table spendcap_alert add column email_error text;
update spendcap_alert set email_next_attempt_at = created_at where email_status = 'PENDING';
drop index spendcap_alert_email_pending;
create index spendcap_alert_email_pending on spendcap_alert (email_next_attempt_at) where email_status = 'PENDING';

-- Every delivery attempt and how it ended, per channel: what finance reads when a customer says
-- "we never got it". Append-only.
create table spendcap_alert_attempt (
    id           bigserial   primary key,
    alert_id     bigint      not null references spendcap_alert (id),
    channel      text        not null check (channel in ('WEBHOOK', 'EMAIL')),
    attempt      integer     not null,
    attempted_at timestamptz not null,
    instance     text        not null,
    error        text
);
create index spendcap_alert_attempt_alert on spendcap_alert_attempt (alert_id);
