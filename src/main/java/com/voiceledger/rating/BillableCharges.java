package com.voiceledger.rating;

import java.sql.Date;
import java.time.LocalDate;
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
 * What invoicing reads of the charges, summed in the database: by invoice once calls are assigned to
 * one (so the lines and the calls behind them are the same set), or still open for a draft.
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
     * Gives the customer's not yet invoiced calls on these days to an invoice; from then on they are
     * in a closed period and re-rating leaves them alone. Returns how many calls it took.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int assignToInvoice(CustomerId customer, List<DayRange> ranges, long invoiceId) {
        int calls = 0;
        for (DayRange range : ranges) {
            calls += jdbc.sql("""
                    update rating_call set invoice_id = :invoiceId
                    where customer_id = :customerId and invoice_id is null and day >= :from and day < :to
                    """)
                    .param("invoiceId", invoiceId)
                    .param("customerId", customer.value())
                    .param("from", Date.valueOf(range.from()))
                    .param("to", Date.valueOf(range.to()))
                    .update();
        }
        return calls;
    }

    /**
     * As {@link #assignToInvoice}, but calls not (fully) priced yet stay out: they remain open, are
     * priced by the next re-rating and then bill as late usage on a later invoice, instead of being
     * invoiced at 0.00 and never looked at again.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int assignPricedToInvoice(CustomerId customer, List<DayRange> ranges, long invoiceId) {
        int calls = 0;
        for (DayRange range : ranges) {
            calls += jdbc.sql("""
                    update rating_call set invoice_id = :invoiceId
                    where customer_id = :customerId and invoice_id is null and not unpriced
                      and day >= :from and day < :to
                    """)
                    .param("invoiceId", invoiceId)
                    .param("customerId", customer.value())
                    .param("from", Date.valueOf(range.from()))
                    .param("to", Date.valueOf(range.to()))
                    .update();
        }
        return calls;
    }

    /** How many of the customer's open calls on these days are not (fully) priced yet. */
    @Transactional(readOnly = true)
    public long openUnpricedCalls(CustomerId customer, List<DayRange> ranges) {
        Map<String, Object> params = open(customer, LocalDate.EPOCH, ranges);
        return jdbc.sql("select count(*) from rating_call c where c.customer_id = :customerId and c.invoice_id is null "
                        + "and c.unpriced and " + days(ranges))
                .params(params).query(Long.class).single();
    }

    /** The first day with a call of this customer not yet on an invoice, if any. */
    @Transactional(readOnly = true)
    public java.util.Optional<LocalDate> firstOpenDay(CustomerId customer) {
        return jdbc.sql("select day from rating_call where customer_id = :customerId and invoice_id is null "
                        + "order by day limit 1")
                .param("customerId", customer.value())
                .query((rs, row) -> rs.getDate(1).toLocalDate())
                .optional();
    }

    /** Groups of an invoice's calls; calls before {@code monthStart} are late usage. */
    @Transactional(readOnly = true)
    public List<ChargeGroup> groups(CustomerId customer, long invoiceId, LocalDate monthStart) {
        return componentGroups("c.invoice_id = :invoiceId", Map.of("customerId", customer.value(),
                "invoiceId", invoiceId, "monthStart", Date.valueOf(monthStart)));
    }

    @Transactional(readOnly = true)
    public List<PerMinuteGroup> perMinuteGroups(CustomerId customer, long invoiceId, LocalDate monthStart) {
        return perMinute("c.invoice_id = :invoiceId", Map.of("customerId", customer.value(), "invoiceId", invoiceId,
                "monthStart", Date.valueOf(monthStart)));
    }

    /**
     * Groups of calls not yet invoiced on these days (the upcoming invoice); calls before
     * {@code monthStart} are late usage.
     */
    @Transactional(readOnly = true)
    public List<ChargeGroup> openGroups(CustomerId customer, LocalDate monthStart, List<DayRange> ranges) {
        Map<String, Object> params = open(customer, monthStart, ranges);
        return componentGroups("c.invoice_id is null and " + days(ranges), params);
    }

    @Transactional(readOnly = true)
    public List<PerMinuteGroup> openPerMinuteGroups(CustomerId customer, LocalDate monthStart, List<DayRange> ranges) {
        return perMinute("c.invoice_id is null and " + days(ranges), open(customer, monthStart, ranges));
    }

    private static String days(List<DayRange> ranges) {
        StringBuilder sql = new StringBuilder("(false");
        for (int i = 0; i < ranges.size(); i++) {
            sql.append(" or (c.day >= :from").append(i).append(" and c.day < :to").append(i).append(')');
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

    private List<ChargeGroup> componentGroups(String selector, Map<String, Object> params) {
        return jdbc.sql("""
                select c.day < :monthStart as late, rc.layer, rc.provider, rc.model, rc.unit, rc.billed_unit_price,
                    array_agg(distinct rc.rate_source order by rc.rate_source), sum(rc.quantity), sum(rc.charge),
                    count(distinct c.call_id), min(c.call_time), max(c.call_time)
                from rating_call c join rating_component rc on rc.call_id = c.call_id
                where c.customer_id = :customerId and c.pricing_model = 'RATE_CARD' and %s
                group by 1, rc.layer, rc.provider, rc.model, rc.unit, rc.billed_unit_price
                order by 1, rc.layer, rc.provider, rc.model, rc.unit, rc.billed_unit_price
                """.formatted(selector))
                .params(params)
                .query((rs, row) -> new ChargeGroup(rs.getBoolean(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), strip(rs.getBigDecimal(6)),
                        Arrays.asList((String[]) rs.getArray(7).getArray()), strip(rs.getBigDecimal(8)),
                        strip(rs.getBigDecimal(9)), rs.getLong(10), rs.getTimestamp(11).toInstant(),
                        rs.getTimestamp(12).toInstant()))
                .list();
    }

    private List<PerMinuteGroup> perMinute(String selector, Map<String, Object> params) {
        return jdbc.sql("""
                select c.day < :monthStart as late, c.contract_id, sum(c.billable_seconds),
                    sum(c.charge - c.minimum_top_up), sum(c.minimum_top_up), count(*),
                    count(*) filter (where c.minimum_top_up > 0), min(c.call_time), max(c.call_time)
                from rating_call c
                where c.customer_id = :customerId and c.pricing_model = 'PER_MINUTE' and %s
                group by 1, c.contract_id order by 1, c.contract_id
                """.formatted(selector))
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
