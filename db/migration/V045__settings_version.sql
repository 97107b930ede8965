-- One counter that moves whenever a row that the ingest path caches changes (customers, attribution
-- mappings, contracts, guard and spend-cap settings), whoever changed it: any application instance, a
-- migration or an operator's SQL. Each instance reads it once per ingest transaction (one cheap
-- statement) instead of reading every setting; a cached value older than the counter is read again.
-- See docs/decisions/0045-ingest-caches-and-batched-rows.md.
create table settings_version (
    id       integer primary key check (id = 1),
    version  bigint  not null
);
insert into settings_version (id, version) values (1, 1);

create function settings_version_bump() returns trigger language plpgsql as $$
begin
    update settings_version set version = version + 1 where id = 1;
    return null;
end $$;

create trigger customer_settings_version after insert or update or delete on customer
    for each row execute function settings_version_bump();
create trigger customer_attribution_settings_version after insert or update or delete on customer_attribution
    for each row execute function settings_version_bump();
create trigger contract_settings_version after insert or update or delete on contract
    for each row execute function settings_version_bump();
create trigger guard_setting_settings_version after insert or update or delete on guard_setting
    for each row execute function settings_version_bump();
create trigger spendcap_setting_settings_version after insert or update or delete on spendcap_setting
    for each row execute function settings_version_bump();
create trigger customer_settings_version_truncate after truncate on customer
    for each statement execute function settings_version_bump();
create trigger customer_attribution_settings_version_truncate after truncate on customer_attribution
    for each statement execute function settings_version_bump();
create trigger contract_settings_version_truncate after truncate on contract
    for each statement execute function settings_version_bump();
create trigger guard_setting_settings_version_truncate after truncate on guard_setting
    for each statement execute function settings_version_bump();
create trigger spendcap_setting_settings_version_truncate after truncate on spendcap_setting
    for each statement execute function settings_version_bump();
