-- Margin (module: rating): the provider's cost beside the charge, per call and per assistant.
alter table rating_call add column provider_cost numeric not null default 0;
alter table rating_call add column assistant_id text not null default '-';

alter table rating_rollup_daily add column assistant_id text not null default '-';
alter table rating_rollup_daily drop constraint rating_rollup_daily_pkey;
alter table rating_rollup_daily add primary key (customer_id, day, layer, provider, model, unit, assistant_id);

-- Margin alerts are for finance only: never shown to or sent to the customer.
alter table spendcap_alert add column internal boolean not null default false;
alter table spendcap_setting add column margin_alert_percent numeric(6, 2);
