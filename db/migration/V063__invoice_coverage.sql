-- What each close covered, instead of a mark on every call (decision 0050, module: rating).
--
-- A close records the customer's days it took (rating_close.days) and gets the next number of the
-- customer's closes (seq). Each rated call carries billable_epoch: how many closes the customer had had
-- when the call's rating became billable (priced), kept when the call is re-rated while priced; null
-- while the call is unpriced and not invoiced. A call is on the first close (lowest seq > billable_epoch)
-- whose days hold its day; with none, it is open (late usage once its month is closed). Ingest reads the
-- epoch under a shared per-customer lock that the close takes exclusively, so no call can be rated "before"
-- a close that did not see it.

-- Existing rows: 0 (a catalogue default, no rewrite of the table); new rows must say.
alter table rating_call add column billable_epoch integer default 0;
alter table rating_call alter column billable_epoch drop default;

create table rating_close (
    customer_id bigint          not null,
    seq         integer         not null,      -- 1, 2, ... per customer
    invoice_id  bigint,                        -- null: the closes made before V063 (their calls keep invoice_id)
    closed_at   timestamptz     not null,
    days        datemultirange  not null,      -- the customer's billing days this close took calls of
    primary key (customer_id, seq)
);

-- The closes made before V063, one per customer: every finalized month. Their calls carry invoice_id;
-- they stay invoiced because their days are covered and their epoch (0) is below this close's seq (1).
insert into rating_close (customer_id, seq, invoice_id, closed_at, days)
select customer_id, 1, null, max(finalized_at), range_agg(daterange(month, (month + interval '1 month')::date))
from billing_invoice
where kind = 'INVOICE' and status = 'FINALIZED'
group by customer_id;

-- Open calls on covered days (late usage still to bill) become billable after that close: epoch 1.
update rating_call c set billable_epoch = 1
from rating_close k
where k.customer_id = c.customer_id and c.invoice_id is null and not c.unpriced and c.day <@ k.days;
-- Open unpriced calls are not billable yet (decision 0037): they get an epoch when they are priced.
update rating_call set billable_epoch = null where invoice_id is null and unpriced;

-- Not written any more (kept for history: which invoice billed a call before V063); its index would only
-- grow with every new call.
drop index rating_call_uninvoiced;
comment on column rating_call.invoice_id is
    'Invoice that billed the call, for calls invoiced before V063; since then see rating_close (decision 0050)';

-- The call's invoice (null while open): the one it was marked with before V063, else the first close after
-- its epoch that covers its day.
create function rating_call_invoice(customer bigint, day date, epoch integer, legacy_invoice bigint)
returns bigint language sql stable as $$
    select coalesce(legacy_invoice, (
        select k.invoice_id from rating_close k
        where k.customer_id = customer and k.seq > epoch and day <@ k.days
        order by k.seq limit 1))
$$;

-- Whether a call (or an invoice rollup row) is covered by a close: no longer open.
create function rating_covered(customer bigint, day date, epoch integer)
returns boolean language sql stable as $$
    select epoch is not null and exists (
        select 1 from rating_close k where k.customer_id = customer and k.seq > epoch and day <@ k.days)
$$;

-- Ingest's entry to a customer's charges: a shared lock (a close takes it exclusively) and then, with a
-- fresh snapshot (a volatile function's statements each take one), the number of closes so far. One round
-- trip; the lock is held to the end of the transaction.
create function rating_enter_charges(customer bigint) returns integer language plpgsql volatile as $$
begin
    perform pg_advisory_xact_lock_shared(hashtextextended('voiceledger.charges', customer));
    return coalesce((select max(seq) from rating_close where customer_id = customer), 0);
end
$$;

-- The invoice-line rollup: priced calls summed as invoice lines group them, per customer-day and epoch.
-- Cost-plus calls: one row per layer, provider, model, unit, billed unit price and price source.
-- Per-minute calls: one row per contract (quantity = billable seconds, charge = charge without top-ups).
-- The close reads the rows its days and epochs cover: tens per customer-day, not every component.
create table rating_invoice_rollup (
    customer_id       bigint      not null,
    day               date        not null,
    billable_epoch    integer     not null,
    pricing_model     text        not null,
    layer             text        not null,
    provider          text        not null,
    model             text        not null,
    unit              text        not null,
    billed_unit_price numeric     not null,
    rate_source       text        not null,
    contract_id       bigint      not null,   -- per-minute rows; 0 on cost-plus rows
    quantity          numeric     not null,
    charge            numeric     not null,
    top_up            numeric     not null,
    calls             integer     not null,
    topped_up_calls   integer     not null,
    first_call        timestamptz not null,
    last_call         timestamptz not null,
    primary key (customer_id, day, billable_epoch, pricing_model, layer, provider, model, unit, billed_unit_price,
        rate_source, contract_id)
);

insert into rating_invoice_rollup (customer_id, day, billable_epoch, pricing_model, layer, provider, model, unit,
    billed_unit_price, rate_source, contract_id, quantity, charge, top_up, calls, topped_up_calls, first_call, last_call)
select c.customer_id, c.day, c.billable_epoch, 'RATE_CARD', rc.layer, rc.provider, rc.model, rc.unit,
    rc.billed_unit_price, rc.rate_source, 0, sum(rc.quantity), sum(rc.charge), 0, count(distinct c.call_id), 0,
    min(c.call_time), max(c.call_time)
from rating_call c join rating_component rc on rc.call_id = c.call_id and rc.customer_id = c.customer_id
where c.pricing_model = 'RATE_CARD' and c.billable_epoch is not null and not c.unpriced
group by c.customer_id, c.day, c.billable_epoch, rc.layer, rc.provider, rc.model, rc.unit, rc.billed_unit_price,
    rc.rate_source
union all
select customer_id, day, billable_epoch, 'PER_MINUTE', 'voice_minutes', '-', '-', 'second', 0, '',
    coalesce(contract_id, 0), sum(billable_seconds), sum(charge - minimum_top_up), sum(minimum_top_up), count(*),
    count(*) filter (where minimum_top_up > 0), min(call_time), max(call_time)
from rating_call
where pricing_model = 'PER_MINUTE' and billable_epoch is not null and not unpriced
group by customer_id, day, billable_epoch, coalesce(contract_id, 0);
