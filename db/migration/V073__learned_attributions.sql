-- Issue 25, item 4: an assistant or phone number first seen on a call whose metadata names a customer is pinned
-- to that customer (a learned mapping, which finance sees and can move); a later call's metadata naming another
-- customer is then an attribution conflict, never a move. Mappings finance made stay learned = false.
alter table customer_attribution add column learned boolean not null default false;
