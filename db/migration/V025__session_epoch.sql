-- Sessions end when their person is removed, demoted or changes password (issue 15, decision 0034):
-- each such change bumps the epoch, and a session signed in under an older epoch is ended.
alter table security_user add column session_epoch integer not null default 0;
