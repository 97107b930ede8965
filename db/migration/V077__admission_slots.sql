-- A reservation is also the call's concurrency slot (issue #29, decision 0069): taken at admission, it counts
-- against the contract's concurrent-call limits until the call ends (an ended status update sets ended_at; the
-- end-of-call report releases it as before) or expires (the contract's maximum call duration plus a margin).
alter table spendcap_reservation add column assistant_id text;
alter table spendcap_reservation add column ended_at timestamptz;
