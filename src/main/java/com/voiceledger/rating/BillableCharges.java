package com.voiceledger.rating;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.rating.internal.ChargeLocks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What invoicing reads of the charges, summed in the database from the invoice-line rollup: what a
 * close took (so the lines and the calls behind them are the same set), or what is still open for a
 * draft. Which calls a close took is recorded as its days and number, not on each call (decision 0050).
 */
@Service
public class BillableCharges {

    private final JdbcClient jdbc;
    private final ChargeLocks locks;

    BillableCharges(JdbcClient jdbc, ChargeLocks locks) {
        this.jdbc = jdbc;
        this.locks = locks;
    }

    /**
     * Holds off re-rating of the customer's calls until this transaction ends (close takes it first,
     * before it reads any charge): {@link com.voiceledger.rating.internal.ChargeLocks}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockCustomer(CustomerId customer) {
        locks.lock(java.util.List.of(customer));
    }

    /**
     * Closes the customer's calls on these days for an invoice (decision 0050): records what the close
     * covers instead of marking each call. From then on, every call on these days that was billable
     * (priced) before this close is on this invoice, unless an earlier close has it; calls priced later,
     * and calls not priced yet (decision 0037), stay open and bill as late usage on a later invoice.
     * Re-rating leaves covered calls alone. Must run after {@link #lockCustomer}. Returns the close's number.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int closeForInvoice(CustomerId customer, List<DayRange> ranges, long invoiceId, Instant now) {
        int seq = locks.closes(customer) + 1;
        jdbc.sql("""
                insert into rating_close (customer_id, seq, invoice_id, closed_at, days)
                values (:customerId, :seq, :invoiceId, :now, cast(:days as datemultirange))
                """)
                .param("customerId", customer.value())
                .param("seq", seq)
                .param("invoiceId", invoiceId)
                .param("now", java.sql.Timestamp.from(now))
                .param("days", multirange(ranges))
                .update();
        return seq;
    }

    /** How many of the customer's open calls on these days are not (fully) priced yet. */
    @Transactional(readOnly = true)
    public long openUnpricedCalls(CustomerId customer, List<DayRange> ranges) {
        Map<String, Object> params = open(customer, LocalDate.EPOCH, ranges);
        // an unpriced call has no epoch unless a close already has it (decision 0050)
        return jdbc.sql("select count(*) from rating_call c where c.customer_id = :customerId and c.unpriced "
                        + "and c.billable_epoch is null and " + days(ranges, "c"))
                .params(params).query(Long.class).single();
    }

    /**
     * The first day with a call of this customer not yet on an invoice, if any. A customer without such
     * a call reads as empty (the min of no rows is one null row: read as a list, as "Result value is null"
     * once stopped every customer's issuing, issue 27).
     */
    @Transactional(readOnly = true)
    public java.util.Optional<LocalDate> firstOpenDay(CustomerId customer) {
        return jdbc.sql("""
                select min(day) from (
                    select min(r.day) as day from rating_invoice_rollup r
                    where r.customer_id = :customerId and not rating_covered(r.customer_id, r.day, r.billable_epoch)
                    union all
                    select min(c.day) from rating_call c
                    where c.customer_id = :customerId and c.unpriced and c.billable_epoch is null) open
                """)
                .param("customerId", customer.value())
                .query((rs, row) -> java.util.Optional.ofNullable(rs.getDate(1)).map(Date::toLocalDate))
                .single();
    }

    /** Whether a call is on an invoice now (a close covers it), for tests and checks. */
    @Transactional(readOnly = true)
    public java.util.Optional<Long> invoiceOf(String callId) {
        return jdbc.sql("""
                select rating_call_invoice(customer_id, day, billable_epoch, invoice_id) from rating_call
                where call_id = :id""")
                .param("id", callId)
                .query((rs, row) -> rs.getObject(1, Long.class))
                .list().stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /**
     * Groups of the calls a close took (read from the invoice-line rollup: tens of rows per customer-day);
     * calls before {@code monthStart} are late usage.
     */
    @Transactional(readOnly = true)
    public List<ChargeGroup> groups(CustomerId customer, int close, LocalDate monthStart, List<DayRange> ranges) {
        return componentGroups(closed(customer, close, monthStart, ranges), false, ranges);
    }

    @Transactional(readOnly = true)
    public List<PerMinuteGroup> perMinuteGroups(CustomerId customer, int close, LocalDate monthStart,
            List<DayRange> ranges) {
        return perMinute(closed(customer, close, monthStart, ranges), false, ranges);
    }

    /**
     * Groups of calls not yet invoiced on these days (the upcoming invoice, a draft); calls before
     * {@code monthStart} are late usage. Calls not priced yet are shown too (as the draft shows them).
     */
    @Transactional(readOnly = true)
    public List<ChargeGroup> openGroups(CustomerId customer, LocalDate monthStart, List<DayRange> ranges) {
        return componentGroups(open(customer, monthStart, ranges), true, ranges);
    }

    @Transactional(readOnly = true)
    public List<PerMinuteGroup> openPerMinuteGroups(CustomerId customer, LocalDate monthStart, List<DayRange> ranges) {
        return perMinute(open(customer, monthStart, ranges), true, ranges);
    }

    private static Map<String, Object> closed(CustomerId customer, int close, LocalDate monthStart,
            List<DayRange> ranges) {
        Map<String, Object> params = open(customer, monthStart, ranges);
        params.put("close", close);
        return params;
    }

    /**
     * Rollup rows a close took: on its days, billable before it, and not taken by an earlier close. Without
     * a close (a draft): rows no close has taken.
     */
    private static String taken(Map<String, Object> params, List<DayRange> ranges) {
        String covered = params.containsKey("close")
                ? "r.billable_epoch < :close and not exists (select 1 from rating_close e where e.customer_id = r.customer_id"
                        + " and e.seq > r.billable_epoch and e.seq < :close and r.day <@ e.days)"
                : "not rating_covered(r.customer_id, r.day, r.billable_epoch)";
        return days(ranges, "r") + " and " + covered;
    }

    private static String multirange(List<DayRange> ranges) {
        StringBuilder text = new StringBuilder("{");
        for (DayRange range : ranges) {
            text.append(text.length() > 1 ? "," : "").append('[').append(range.from()).append(',').append(range.to())
                    .append(')');
        }
        return text.append('}').toString();
    }

    private static String days(List<DayRange> ranges, String alias) {
        StringBuilder sql = new StringBuilder("(false");
        for (int i = 0; i < ranges.size(); i++) {
            sql.append(" or (").append(alias).append(".day >= :from").append(i).append(" and ").append(alias)
                    .append(".day < :to").append(i).append(')');
        }
        return sql.append(')').toString();
    }

    private static Map<String, Object> open(CustomerId customer, LocalDate monthStart, List<DayRange> ranges) {
        Map<String, Object> params = new HashMap<>();
        params.put("customerId", customer.value());
        params.put("monthStart", Date.valueOf(monthStart));
        for (int i = 0; i < ranges.size(); i++) {
            params.put("from" + i, Date.valueOf(ranges.get(i).from()));
            params.put("to" + i, Date.valueOf(ranges.get(i).to()));
        }
        return params;
    }

    // Rollup rows (priced calls) and, for drafts, the components of open unpriced calls, grouped as lines; each
    // with the units grants covered, read from the draw ledger of the same calls (decision 0072).
    private List<ChargeGroup> componentGroups(Map<String, Object> params, boolean withUnpriced, List<DayRange> ranges) {
        List<ChargeGroup> groups = componentGroupsWithoutGrants(params, withUnpriced, ranges);
        Map<List<Object>, List<ChargeGroup.GrantUse>> uses = new HashMap<>();
        jdbc.sql("""
                select r.day < :monthStart, d.layer, d.provider, d.model, d.unit, d.billed_unit_price, d.grant_id,
                    sum(d.units)
                from rating_grant_draw d join rating_call r on r.call_id = d.call_id
                where d.customer_id = :customerId and r.customer_id = :customerId and r.pricing_model = 'RATE_CARD'
                  and (%s)
                group by 1, 2, 3, 4, 5, 6, 7 order by 7
                """.formatted(taken(params, ranges)))
                .params(params)
                .query((rs, row) -> {
                    List<Object> key = groupKey(rs.getBoolean(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getBigDecimal(6));
                    uses.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new ChargeGroup.GrantUse(rs.getString(7), strip(rs.getBigDecimal(8))));
                    return row;
                })
                .list();
        if (uses.isEmpty()) {
            return groups;
        }
        return groups.stream().map(g -> {
            List<ChargeGroup.GrantUse> covered = uses.get(groupKey(g.late(), g.layer(), g.provider(), g.model(),
                    g.unit(), g.billedUnitPrice()));
            return covered == null ? g : new ChargeGroup(g.late(), g.layer(), g.provider(), g.model(), g.unit(),
                    g.billedUnitPrice(), g.sources(), g.quantity(), g.charge(), g.calls(), g.firstCall(), g.lastCall(),
                    covered);
        }).toList();
    }

    private static List<Object> groupKey(boolean late, String layer, String provider, String model, String unit,
            java.math.@org.jspecify.annotations.Nullable BigDecimal price) {
        return java.util.Arrays.asList(late, layer, provider, model, unit,
                price == null ? null : price.stripTrailingZeros().toPlainString());
    }

    private List<ChargeGroup> componentGroupsWithoutGrants(Map<String, Object> params, boolean withUnpriced,
            List<DayRange> ranges) {
        String unpriced = !withUnpriced ? "" : """
                union all
                select c.day < :monthStart, rc.layer, rc.provider, rc.model, rc.unit, rc.billed_unit_price,
                    rc.rate_source, sum(rc.quantity), sum(rc.charge), count(distinct c.call_id), min(c.call_time),
                    max(c.call_time)
                from rating_call c cross join lateral rated_components(c.components) rc
                where c.customer_id = :customerId and c.pricing_model = 'RATE_CARD' and c.unpriced
                  and c.billable_epoch is null and %s
                group by 1, rc.layer, rc.provider, rc.model, rc.unit, rc.billed_unit_price, rc.rate_source
                """.formatted(days(ranges, "c"));
        return jdbc.sql("""
                select late, layer, provider, model, unit, billed_unit_price,
                    array_agg(distinct rate_source order by rate_source), sum(quantity), sum(charge), sum(calls),
                    min(first_call), max(last_call)
                from (
                    select r.day < :monthStart as late, r.layer, r.provider, r.model, r.unit, r.billed_unit_price,
                        r.rate_source, r.quantity, r.charge, r.calls, r.first_call, r.last_call
                    from rating_invoice_rollup r
                    where r.customer_id = :customerId and r.pricing_model = 'RATE_CARD' and %s
                    %s
                ) g (late, layer, provider, model, unit, billed_unit_price, rate_source, quantity, charge, calls,
                    first_call, last_call)
                group by late, layer, provider, model, unit, billed_unit_price
                order by late, layer, provider, model, unit, billed_unit_price
                """.formatted(taken(params, ranges), unpriced))
                .params(params)
                .query((rs, row) -> new ChargeGroup(rs.getBoolean(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), strip(rs.getBigDecimal(6)),
                        Arrays.asList((String[]) rs.getArray(7).getArray()), strip(rs.getBigDecimal(8)),
                        strip(rs.getBigDecimal(9)), rs.getLong(10), rs.getTimestamp(11).toInstant(),
                        rs.getTimestamp(12).toInstant()))
                .list();
    }

    private List<PerMinuteGroup> perMinute(Map<String, Object> params, boolean withUnpriced, List<DayRange> ranges) {
        String unpriced = !withUnpriced ? "" : """
                union all
                select c.day < :monthStart, coalesce(c.contract_id, 0), c.billable_seconds, c.charge - c.minimum_top_up,
                    c.minimum_top_up, 1, case when c.minimum_top_up > 0 then 1 else 0 end, c.call_time, c.call_time
                from rating_call c
                where c.customer_id = :customerId and c.pricing_model = 'PER_MINUTE' and c.unpriced
                  and c.billable_epoch is null and %s
                """.formatted(days(ranges, "c"));
        return jdbc.sql("""
                select late, contract_id, sum(seconds), sum(charge), sum(top_up), sum(calls), sum(topped_up),
                    min(first_call), max(last_call)
                from (
                    select r.day < :monthStart as late, r.contract_id, r.quantity, r.charge, r.top_up, r.calls,
                        r.topped_up_calls, r.first_call, r.last_call
                    from rating_invoice_rollup r
                    where r.customer_id = :customerId and r.pricing_model = 'PER_MINUTE' and %s
                    %s
                ) g (late, contract_id, seconds, charge, top_up, calls, topped_up, first_call, last_call)
                group by late, contract_id order by late, contract_id
                """.formatted(taken(params, ranges), unpriced))
                .params(params)
                .query((rs, row) -> new PerMinuteGroup(rs.getBoolean(1), rs.getLong(2), rs.getLong(3),
                        strip(rs.getBigDecimal(4)), strip(rs.getBigDecimal(5)), rs.getLong(6), rs.getLong(7),
                        rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant()))
                .list();
    }

    private static java.math.BigDecimal strip(java.math.BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros();
    }
}
