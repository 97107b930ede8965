-- A notice is sent by the instance whose claim it still holds (issue #27): each claim writes a token of its
-- own, the sender extends its lease with that token before each send and records the outcome only while the
-- token is still its own. A claim that ran out (a batch of slow receivers) is then skipped, not sent twice.
alter table spendcap_invoice_notice add column claim_token uuid;
