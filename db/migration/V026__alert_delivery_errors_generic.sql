-- Alert delivery errors are shown to customers: keep the status code, drop stored exception text
-- (host names, internal addresses) written before issue 15.
update spendcap_alert set delivery_error = 'could not connect'
where delivery_error is not null and delivery_error not like 'answered %';
