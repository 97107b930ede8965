-- Scale-out (docs/decisions/0047-schema-for-scale-out.md): the tables that grow with calls and always
-- belong to one customer carry customer_id in their primary key and unique keys, as a table distributed
-- by customer (Citus) requires. customer_id goes last, so every existing lookup by call id still uses the
-- key's index; rows and their meaning stay the same (a call id was unique, and so is call id + customer).
alter table rating_component drop constraint rating_component_call_id_fkey;
alter table rating_call drop constraint rating_call_pkey;
alter table rating_call add primary key (call_id, customer_id);
alter table rating_component drop constraint rating_component_pkey;
alter table rating_component add primary key (call_id, seq, customer_id);
alter table rating_component add constraint rating_component_call_fkey foreign key (call_id, customer_id)
    references rating_call (call_id, customer_id) on delete cascade;

alter table spendcap_reservation drop constraint spendcap_reservation_pkey;
alter table spendcap_reservation add primary key (id, customer_id);

alter table guard_finding drop constraint guard_finding_pkey;
alter table guard_finding add primary key (id, customer_id);
alter table guard_finding drop constraint guard_finding_call_id_rule_key;
alter table guard_finding add constraint guard_finding_call_rule_key unique (call_id, rule, customer_id);
