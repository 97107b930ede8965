-- People (module: security): a customer admin removes a team member by marking the login removed.
-- The row stays (audit entries and history name it); a removed login can no longer sign in, and its
-- username stays taken so it is never mistaken for someone else later.
alter table security_user add column removed_at timestamptz;
alter table security_user add column removed_by text;
