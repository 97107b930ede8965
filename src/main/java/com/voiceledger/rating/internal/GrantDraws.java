package com.voiceledger.rating.internal;

import com.voiceledger.rating.GrantDrawing.Draw;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The grant draw ledger (migration V080): written and read under the customer's ingest lock, which ingest and
 * re-rating both hold, so balances read here are exact across instances (decision 0072).
 */
@Repository
public class GrantDraws {

    private final JdbcClient jdbc;

    GrantDraws(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A bucket's identity: a grant, a period, own or rolled-over units. */
    public record BucketKey(String grantId, LocalDate periodStart, boolean rolledOver) {
    }

    /** Units drawn so far from each bucket of these grants in these periods. */
    public Map<BucketKey, BigDecimal> drawn(CustomerId customer, Collection<String> grantIds,
            Collection<LocalDate> periodStarts) {
        Map<BucketKey, BigDecimal> drawn = new HashMap<>();
        if (grantIds.isEmpty() || periodStarts.isEmpty()) {
            return drawn;
        }
        jdbc.sql("""
                select grant_id, period_start, rolled_over, sum(units) from rating_grant_draw
                where customer_id = :customerId and grant_id in (:grants) and period_start in (:starts)
                group by grant_id, period_start, rolled_over
                """)
                .param("customerId", customer.value())
                .param("grants", List.copyOf(new HashSet<>(grantIds)))
                .param("starts", periodStarts.stream().distinct().map(Date::valueOf).toList())
                .query((rs, row) -> Map.entry(new BucketKey(rs.getString(1), rs.getDate(2).toLocalDate(),
                        rs.getBoolean(3)), rs.getBigDecimal(4)))
                .list()
                .forEach(entry -> drawn.put(entry.getKey(), entry.getValue()));
        return drawn;
    }

    /** The draws a call made (a delivery retried after its first rating finds them). */
    public List<Draw> of(String callId) {
        return jdbc.sql("""
                select seq, grant_id, period_start, rolled_over, units from rating_grant_draw where call_id = :id
                order by seq, grant_id, rolled_over desc
                """)
                .param("id", callId)
                .query((rs, row) -> new Draw(rs.getInt(1), rs.getString(2), rs.getDate(3).toLocalDate(),
                        rs.getBoolean(4), rs.getBigDecimal(5).stripTrailingZeros()))
                .list();
    }

    /** The draws of many calls, by call. */
    public Map<String, List<Draw>> ofCalls(Collection<String> callIds) {
        Map<String, List<Draw>> byCall = new HashMap<>();
        if (callIds.isEmpty()) {
            return byCall;
        }
        jdbc.sql("""
                select call_id, seq, grant_id, period_start, rolled_over, units from rating_grant_draw
                where call_id in (:ids) order by call_id, seq, grant_id, rolled_over desc
                """)
                .param("ids", List.copyOf(callIds))
                .query((rs, row) -> Map.entry(rs.getString(1), new Draw(rs.getInt(2), rs.getString(3),
                        rs.getDate(4).toLocalDate(), rs.getBoolean(5), rs.getBigDecimal(6).stripTrailingZeros())))
                .list()
                .forEach(entry -> byCall.computeIfAbsent(entry.getKey(), k -> new java.util.ArrayList<>())
                        .add(entry.getValue()));
        return byCall;
    }

    /** Sets the billed unit prices of a call's draws from its (new) rating, component by component. */
    public void setPrices(String callId, com.voiceledger.rating.RatedCall rated, List<Draw> drawn) {
        Set<Integer> seqs = new HashSet<>();
        drawn.forEach(draw -> seqs.add(draw.seq()));
        for (com.voiceledger.rating.RatedCall.Component component : rated.components()) {
            if (!seqs.contains(component.seq())) {
                continue;
            }
            jdbc.sql("update rating_grant_draw set billed_unit_price = :price where call_id = :id and seq = :seq")
                    .param("price", component.billedUnitPrice())
                    .param("id", callId)
                    .param("seq", component.seq())
                    .update();
        }
    }

    /** Units drawn per day (of the call's start in {@code zone}) from one grant's period, oldest day first. */
    public List<Map.Entry<LocalDate, BigDecimal>> daily(CustomerId customer, String grantId, LocalDate periodStart,
            java.time.ZoneId zone) {
        return jdbc.sql("""
                select (call_time at time zone :zone)::date, sum(units) from rating_grant_draw
                where customer_id = :customerId and grant_id = :grantId and period_start = :start
                group by 1 order by 1
                """)
                .param("zone", zone.getId())
                .param("customerId", customer.value())
                .param("grantId", grantId)
                .param("start", Date.valueOf(periodStart))
                .query((rs, row) -> Map.entry(rs.getDate(1).toLocalDate(), rs.getBigDecimal(2)))
                .list();
    }

    /** One draw with the component it covered (its names and billed unit price, for the invoice line). */
    public record Row(Draw draw, String layer, String provider, String model, String unit,
            @Nullable BigDecimal billedUnitPrice) {
    }

    public void insert(CustomerId customer, String callId, Instant callTime, List<Row> rows, Instant now) {
        for (Row row : rows) {
            jdbc.sql("""
                    insert into rating_grant_draw (customer_id, call_id, seq, grant_id, period_start, rolled_over, units,
                        layer, provider, model, unit, billed_unit_price, call_time, drawn_at)
                    values (:customerId, :callId, :seq, :grantId, :periodStart, :rolledOver, :units, :layer, :provider,
                        :model, :unit, :price, :callTime, :now)
                    """)
                    .param("customerId", customer.value())
                    .param("callId", callId)
                    .param("seq", row.draw().seq())
                    .param("grantId", row.draw().grantId())
                    .param("periodStart", Date.valueOf(row.draw().periodStart()))
                    .param("rolledOver", row.draw().rolledOver())
                    .param("units", row.draw().units())
                    .param("layer", row.layer())
                    .param("provider", row.provider())
                    .param("model", row.model())
                    .param("unit", row.unit())
                    .param("price", row.billedUnitPrice())
                    .param("callTime", Timestamp.from(callTime))
                    .param("now", Timestamp.from(now))
                    .update();
        }
    }

    /**
     * Gives back what the customer's open calls drew from this call on (by start, then id): a re-rating draws them
     * again in call order. Calls an invoice covers keep their draws.
     */
    public int deleteOpenFrom(CustomerId customer, Instant callTime, String callId) {
        return jdbc.sql("""
                delete from rating_grant_draw d
                where d.customer_id = :customerId
                  and (d.call_time > :callTime or (d.call_time = :callTime and d.call_id >= :callId))
                  and not exists (select 1 from rating_call c where c.call_id = d.call_id
                                  and rating_covered(c.customer_id, c.day, c.billable_epoch))
                """)
                .param("customerId", customer.value())
                .param("callTime", Timestamp.from(callTime))
                .param("callId", callId)
                .update();
    }

    /** Those of these calls an invoice covers (their ratings, and draws, stay). */
    public Set<String> covered(Collection<String> callIds) {
        if (callIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                select call_id from rating_call
                where call_id in (:ids) and rating_covered(customer_id, day, billable_epoch)
                """)
                .param("ids", List.copyOf(callIds))
                .query(String.class)
                .list());
    }

    /**
     * Where late usage of a closed day is billed: the first day after every day the customer's closes took
     * (months finalize in order, so that is the first day of the next open month); empty when the day is open.
     */
    public Optional<LocalDate> lateBillingDay(CustomerId customer, LocalDate day) {
        return jdbc.sql("""
                select (select max(upper(k.days)) from rating_close k where k.customer_id = :customerId)
                from rating_close c where c.customer_id = :customerId and cast(:day as date) <@ c.days limit 1
                """)
                .param("customerId", customer.value())
                .param("day", Date.valueOf(day))
                .query((rs, row) -> rs.getDate(1).toLocalDate())
                .optional();
    }
}
