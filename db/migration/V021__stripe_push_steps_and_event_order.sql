-- Stripe pushes that can be retried at any time (module: stripe; decision 0032).
-- What Stripe already has for an invoice is kept per step (the draft's id as soon as it exists, each
-- line's invoice item), so a retry after Stripe forgot its idempotency keys (~24 h) creates nothing twice.
-- A push is claimed (claimed_until) by the one instance or request doing it; a failed push is retried by
-- the schedule after a backoff (next_attempt_at).
alter table stripe_invoice_push add column claimed_until timestamptz;
alter table stripe_invoice_push add column next_attempt_at timestamptz;
-- The Stripe event time (its "created") of the payment status shown: an older event never overwrites it.
alter table stripe_invoice_push add column payment_status_at timestamptz;

create table stripe_invoice_item (
    invoice_id     bigint  not null references stripe_invoice_push (invoice_id),
    line_no        integer not null,
    stripe_item_id text    not null unique,
    primary key (invoice_id, line_no)
);

-- Events are kept with the Stripe invoice they are about and whether they were applied: an event for an
-- invoice not linked yet (its push still running) is applied when the push links it.
alter table stripe_event add column stripe_created timestamptz;
alter table stripe_event add column stripe_invoice_id text;
alter table stripe_event add column applied boolean not null default true;
create index stripe_event_unapplied on stripe_event (stripe_invoice_id) where not applied;
