-- Alert e-mail (module: spendcap): where a customer's alerts are mailed, and each alert's mailing state.
alter table spendcap_setting add column alert_email text;
alter table spendcap_alert add column email_status text not null default 'NONE'
    check (email_status in ('NONE', 'PENDING', 'SENT', 'FAILED'));
alter table spendcap_alert add column email_attempts integer not null default 0;
create index spendcap_alert_email_pending on spendcap_alert (id) where email_status = 'PENDING';
