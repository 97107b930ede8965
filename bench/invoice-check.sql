-- An independent check of a month's invoices against the rated calls (issue #17, docs/performance.md):
-- every usage line of every finalized invoice of the month, recomputed straight from rating_call and its
-- rated components (not from the invoice-line rollup the close reads, decision 0050), and the rollup itself
-- against a fresh aggregate of the same charges. Reads only (one read-only transaction).
--
--   psql -X -h 127.0.0.1 -p PORT -U postgres -d postgres -v month=2026-10-01 -f bench/invoice-check.sql
--   bench/invoice-check.sh /work/bench-data/calls-10000000 2026-10-01   (starts and stops the data set's PostgreSQL)
--
-- What an invoice should hold, per BILLING-RULES §3 and §5 and InvoiceCalculator:
-- * RATE_CARD: one usage line per layer, provider, model, unit and billed unit price (description
--   "layer provider model unit", unit_price the billed unit price): quantity = the components' summed
--   quantity, amount = their summed charge rounded once, half-even, to the cent.
-- * PER_MINUTE: "Voice minutes" = (billable seconds - included minutes x 60) / 60 (4 places) at the
--   contract's rate, amount rounded once; "Minimum charge top-ups" = the calls topped up, amount = the
--   summed top-ups rounded once. Usage lines come before commitments and credits, which are lines of
--   their own (not compared here; their totals are: lines sum to subtotal and total).
-- The calls of an invoice: the customer's calls whose billing day (rating_call.day) falls in the month,
-- priced, and billable before the invoice's close (billable_epoch < rating_close.seq). Late-usage lines
-- (earlier months' calls taken by the same close) are left out and counted. "first line" lists show the
-- first differences; every count is over all invoices of the month.
\set ON_ERROR_STOP on
\pset pager off
\pset footer off
\timing on
begin transaction isolation level repeatable read read only;
set local work_mem = '256MB';
-- a call's rated components: rows of rating_component up to V064, an array on rating_call since V065 (0060)
select to_regclass('rating_component') is not null as component_rows \gset
\if :component_rows
\set call_components ''
\set charged 'join rating_component rc on rc.call_id = c.call_id and rc.customer_id = c.customer_id'
\else
\set call_components ', c.components'
\set charged 'cross join lateral rated_components(c.components) rc'
\endif

\echo
\echo == 0. the invoices of the month and how their lines add up (kinds, subtotal, total, commitment usage)
with inv as (
    select i.* from billing_invoice i
    where i.kind = 'INVOICE' and i.status = 'FINALIZED' and i.month = :'month'::date
)
select count(*) as invoices, sum(total) as total, sum(subtotal) as subtotal,
    (select count(*) from billing_invoice_line l join inv on inv.id = l.invoice_id) as lines,
    (select count(*) from billing_invoice_line l join inv on inv.id = l.invoice_id where l.kind = 'late_usage')
        as late_usage_lines_not_compared,
    count(*) filter (where subtotal <> (select coalesce(sum(amount), 0) from billing_invoice_line l
        where l.invoice_id = inv.id and l.kind <> 'credit')) as subtotal_not_sum_of_lines,
    count(*) filter (where total <> greatest(0, (select coalesce(sum(amount), 0) from billing_invoice_line l
        where l.invoice_id = inv.id)))
        as total_not_sum_of_lines,
    count(*) filter (where exists (select 1 from billing_invoice_line l where l.invoice_id = inv.id
        and l.explanation ? 'usageThisMonth' and (l.explanation->>'usageThisMonth')::numeric
            <> (select sum(u.amount) from billing_invoice_line u where u.invoice_id = inv.id
                and u.kind in ('usage', 'minimum_charge')))) as commitment_usage_not_sum_of_usage_lines,
    count(*) filter (where not exists (select 1 from rating_close rc where rc.invoice_id = inv.id))
        as invoices_without_close
from inv;

\echo
\echo == 1. the calls of the month: billing day against the call time in the billing time zone of the customer,
\echo ==    and calls of the month left off its invoices (unpriced, or priced after the close: late usage later)
select count(*) as calls_in_month,
    count(*) filter (where c.day <> (c.call_time at time zone cu.billing_time_zone)::date) as day_not_billing_day,
    count(*) filter (where c.unpriced or c.billable_epoch is null) as unpriced_or_not_billable,
    count(*) filter (where not c.unpriced and c.billable_epoch is not null
        and c.billable_epoch >= coalesce(rc.seq, 2147483647)) as priced_after_the_close,
    count(*) filter (where rc.seq is null) as customer_without_invoice
from rating_call c
join customer cu on cu.id = c.customer_id
left join billing_invoice i on i.customer_id = c.customer_id and i.kind = 'INVOICE' and i.status = 'FINALIZED'
    and i.month = :'month'::date
left join rating_close rc on rc.invoice_id = i.id
where c.day >= :'month'::date and c.day < (:'month'::date + interval '1 month')::date;

\echo
\echo == 2. every usage line against the calls themselves (rating_call and its rated components; per-minute from rating_call)
with inv as materialized (
    select i.id as invoice_id, i.customer_id, i.number, rc.seq
    from billing_invoice i
    join rating_close rc on rc.invoice_id = i.id
    where i.kind = 'INVOICE' and i.status = 'FINALIZED' and i.month = :'month'::date
),
calls as (
    select c.call_id, c.customer_id, c.call_time, c.pricing_model, c.contract_id, c.billable_seconds, c.charge,
        c.minimum_top_up, inv.invoice_id :call_components
    from rating_call c join inv on inv.customer_id = c.customer_id
    where c.day >= :'month'::date and c.day < (:'month'::date + interval '1 month')::date
      and not c.unpriced and c.billable_epoch is not null and c.billable_epoch < inv.seq
),
cost_plus as (
    select c.invoice_id, rc.layer || ' ' || rc.provider || ' ' || rc.model || ' ' || rc.unit as description,
        rc.billed_unit_price, sum(rc.quantity) as quantity, sum(rc.charge) as charge, count(*) as components
    from calls c :charged
    where c.pricing_model = 'RATE_CARD'
    group by 1, 2, 3
),
per_minute as (
    select c.invoice_id, c.contract_id, count(*) as calls, sum(c.billable_seconds) as seconds,
        sum(c.charge - c.minimum_top_up) as minute_charge, sum(c.minimum_top_up) as top_up,
        count(*) filter (where c.minimum_top_up > 0) as topped_up
    from calls c where c.pricing_model = 'PER_MINUTE'
    group by 1, 2
),
per_minute_expected as (
    select p.*, t.rate, t.included,
        least(t.included, round(p.seconds / 60.0, 6)) as included_used
    from per_minute p
    join contract k on k.id = p.contract_id
    cross join lateral (select (k.terms->>'perMinuteRate')::numeric as rate,
        coalesce((k.terms->>'includedMinutes')::numeric, 0) as included) t
),
lines as (
    select l.invoice_id, l.line_no, l.description, l.quantity, l.unit_price, l.amount,
        (l.explanation->>'calls')::bigint as calls, l.explanation
    from billing_invoice_line l join inv on inv.invoice_id = l.invoice_id
    where l.kind in ('usage', 'minimum_charge')
),
-- half-even to the cent (PostgreSQL's round() goes half away from zero); x >= 0 here
compared as (
    select 'cost-plus usage' as what, coalesce(l.invoice_id, e.invoice_id) as invoice_id, l.line_no,
        coalesce(l.description, e.description) || ' @ ' || coalesce(l.unit_price, e.billed_unit_price) as line,
        l.quantity as line_quantity, e.quantity as calls_quantity, l.amount as line_amount, e.charge as calls_charge,
        he.amount as calls_amount, l.calls as line_calls, e.components as calls_count,
        l.invoice_id is null or e.invoice_id is null or l.quantity <> e.quantity or l.amount <> he.amount
            as differs,
        e.invoice_id is not null and l.amount is distinct from round(e.charge, 2) as half_up_would_differ
    from (select * from lines where description not like 'Voice minutes%' and description <> 'Minimum charge top-ups'
            and description not like 'Telephony reconciliation%') l
    full join cost_plus e on e.invoice_id = l.invoice_id and e.description = l.description
        and e.billed_unit_price = l.unit_price
    cross join lateral (select case when e.charge * 100 - trunc(e.charge * 100) = 0.5
            then (trunc(e.charge * 100) + mod(trunc(e.charge * 100), 2)) / 100
            else round(e.charge, 2) end as amount) he
    union all
    select 'voice minutes', coalesce(l.invoice_id, e.invoice_id), l.line_no,
        coalesce(l.description, 'Voice minutes (no line)') || ' @ ' || coalesce(l.unit_price, e.rate),
        l.quantity, round((e.seconds - e.included_used * 60) / 60.0, 4), l.amount,
        e.minute_charge - e.included_used * e.rate, he.amount, l.calls, e.calls,
        l.invoice_id is null or e.invoice_id is null or l.quantity <> round((e.seconds - e.included_used * 60) / 60.0, 4)
            or l.amount <> he.amount or l.unit_price <> e.rate
            or (l.explanation->>'billableMinutes')::numeric <> round(e.seconds / 60.0, 6)
            or l.amount <> hs.amount,
        false
    from (select * from lines where description like 'Voice minutes%') l
    full join per_minute_expected e on e.invoice_id = l.invoice_id
    cross join lateral (select e.minute_charge - e.included_used * e.rate as x) v
    cross join lateral (select case when v.x * 100 - trunc(v.x * 100) = 0.5
            then (trunc(v.x * 100) + mod(trunc(v.x * 100), 2)) / 100 else round(v.x, 2) end as amount) he
    -- the same amount from the seconds, as InvoiceCalculator computes it: (seconds - included) x rate / 60
    cross join lateral (select (e.seconds - e.included_used * 60) * e.rate / 60 as x) s
    cross join lateral (select case when s.x * 100 - trunc(s.x * 100) = 0.5
            then (trunc(s.x * 100) + mod(trunc(s.x * 100), 2)) / 100 else round(s.x, 2) end as amount) hs
    union all
    select 'minimum charge', coalesce(l.invoice_id, e.invoice_id), l.line_no, 'Minimum charge top-ups',
        l.quantity, e.topped_up, l.amount, e.top_up, he.amount, l.calls, e.topped_up,
        l.invoice_id is null or e.invoice_id is null or l.quantity <> e.topped_up or l.amount <> he.amount
    , false
    from (select * from lines where description = 'Minimum charge top-ups') l
    full join (select * from per_minute where top_up > 0) e on e.invoice_id = l.invoice_id
    cross join lateral (select case when e.top_up * 100 - trunc(e.top_up * 100) = 0.5
            then (trunc(e.top_up * 100) + mod(trunc(e.top_up * 100), 2)) / 100 else round(e.top_up, 2) end as amount) he
),
summary as (
    select what, count(distinct invoice_id) as invoices, count(*) as lines, count(*) filter (where differs) as differences,
        count(*) filter (where line_calls is distinct from calls_count) as calls_count_differs,
        count(*) filter (where half_up_would_differ) as half_up_would_differ,
        sum(line_amount) as line_amounts, sum(calls_amount) as from_calls
    from compared group by what
)
select 'summary' as row, what, invoices::text, lines::text, differences::text as differences,
    calls_count_differs::text as calls_differ, half_up_would_differ::text as ties, line_amounts::text,
    from_calls::text, null as detail
from summary
union all
(select 'first difference', what, invoice_id::text, line_no::text, line, line_calls || ' / ' || calls_count, null,
    line_quantity || ' / ' || calls_quantity, line_amount || ' / ' || calls_amount, 'charge from calls ' || calls_charge
 from compared where differs order by invoice_id, line_no limit 20);

\echo
\echo == 3. the invoice-line rollup on the days of the month against a fresh aggregate of the charges
\echo ==    (INVOICE_AGGREGATE of RatingStore, scoped to the month; rollupMismatches does it for every day)
with fresh as (
    select c.customer_id, c.day, c.billable_epoch, 'RATE_CARD' as pricing_model, rc.layer, rc.provider,
        rc.model, rc.unit, rc.billed_unit_price, rc.rate_source, 0::bigint as contract_id,
        sum(rc.quantity) as quantity, sum(rc.charge) as charge, 0::numeric as top_up,
        count(distinct c.call_id)::integer as calls, 0 as topped_up_calls, min(c.call_time) as first_call,
        max(c.call_time) as last_call
    from rating_call c :charged
    where c.pricing_model = 'RATE_CARD' and c.billable_epoch is not null and not c.unpriced
      and c.day >= :'month'::date and c.day < (:'month'::date + interval '1 month')::date
    group by c.customer_id, c.day, c.billable_epoch, rc.layer, rc.provider, rc.model, rc.unit,
        rc.billed_unit_price, rc.rate_source
    union all
    select c.customer_id, c.day, c.billable_epoch, 'PER_MINUTE', 'voice_minutes', '-', '-', 'second', 0, '',
        coalesce(c.contract_id, 0), sum(c.billable_seconds), sum(c.charge - c.minimum_top_up),
        sum(c.minimum_top_up), count(*), count(*) filter (where c.minimum_top_up > 0), min(c.call_time),
        max(c.call_time)
    from rating_call c
    where c.pricing_model = 'PER_MINUTE' and c.billable_epoch is not null and not c.unpriced
      and c.day >= :'month'::date and c.day < (:'month'::date + interval '1 month')::date
    group by c.customer_id, c.day, c.billable_epoch, coalesce(c.contract_id, 0)
),
rollup as (
    select * from rating_invoice_rollup r
    where r.day >= :'month'::date and r.day < (:'month'::date + interval '1 month')::date
),
compared as (
    select coalesce(r.customer_id, f.customer_id) as customer_id, coalesce(r.day, f.day) as day,
        coalesce(r.layer, f.layer) || ' ' || coalesce(r.provider, f.provider) || ' ' || coalesce(r.model, f.model)
            || ' ' || coalesce(r.unit, f.unit) || ' @ ' || coalesce(r.billed_unit_price, f.billed_unit_price)
            || ' epoch ' || coalesce(r.billable_epoch, f.billable_epoch) as line_key,
        r.quantity as rollup_quantity, f.quantity as fresh_quantity, r.charge as rollup_charge, f.charge as fresh_charge,
        r.calls as rollup_calls, f.calls as fresh_calls,
        r.customer_id is null or f.customer_id is null or r.quantity <> f.quantity
            or r.charge <> f.charge or r.top_up <> f.top_up or r.calls <> f.calls
            or r.topped_up_calls <> f.topped_up_calls or r.first_call <> f.first_call
            or r.last_call <> f.last_call as differs
    from rollup r
    full join fresh f using (customer_id, day, billable_epoch, pricing_model, layer, provider, model, unit,
        billed_unit_price, rate_source, contract_id)
)
select 'summary' as row, count(*)::text as rows_compared, count(*) filter (where differs)::text as differences,
    sum(rollup_charge)::text as rollup_charge, sum(fresh_charge)::text as fresh_charge, null as detail
from compared
union all
(select 'first difference', customer_id || ' ' || day, line_key,
    rollup_quantity || ' / ' || fresh_quantity, rollup_charge || ' / ' || fresh_charge,
    rollup_calls || ' / ' || fresh_calls
 from compared where differs order by customer_id, day limit 20);

rollback;
