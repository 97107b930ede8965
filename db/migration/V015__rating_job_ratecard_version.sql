-- The rate card version a re-rating job was created for: it never prices with an older one
-- (another instance's copy of the rate card may lag behind; issue 14, item 1).
alter table rating_job add column ratecard_version integer not null default 0;
