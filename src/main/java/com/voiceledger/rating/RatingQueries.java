package com.voiceledger.rating;

import com.voiceledger.contract.ContractLimits.ModelInUse;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.DayRange;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Types;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads of charges: per call (with each component's price and source), per month, and what is unpriced. */
@Service
@Transactional(readOnly = true)
public class RatingQueries {

    private final JdbcClient jdbc;
    private final RatingStore store;

    RatingQueries(JdbcClient jdbc, RatingStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    /** Charges of one call of this customer, if it has been rated. */
    public Optional<RatedCall> ratedCall(CustomerId customer, String callId) {
        return ratedCalls(customer, List.of(callId)).values().stream().findFirst();
    }

    /** Charges of several calls of this customer, by call id (unrated ones are absent). */
    public Map<String, RatedCall> ratedCalls(CustomerId customer, Collection<String> callIds) {
        if (callIds.isEmpty()) {
            return Map.of();
        }
        Map<String, List<RatedCall.Component>> components = new HashMap<>();
        jdbc.sql("""
                select c.call_id, rc.seq, rc.unit_price, rc.billed_unit_price, rc.charge, rc.rate_source, rc.unpriced
                from rating_call c cross join lateral rated_components(c.components) rc
                where c.customer_id = :customerId and c.call_id in (:ids) order by c.call_id, rc.seq
                """)
                .param("customerId", customer.value())
                .param("ids", List.copyOf(callIds))
                .query((rs, row) -> Map.entry(rs.getString(1), new RatedCall.Component(rs.getInt(2),
                        strip(rs.getBigDecimal(3)), strip(rs.getBigDecimal(4)), strip(rs.getBigDecimal(5)),
                        rs.getString(6), rs.getBoolean(7))))
                .list()
                .forEach(e -> components.computeIfAbsent(e.getKey(), key -> new ArrayList<>()).add(e.getValue()));
        Map<String, RatedCall> calls = new HashMap<>();
        jdbc.sql("""
                select call_id, pricing_model, rate_version, contract_id, currency, charge, billable_seconds,
                    minimum_top_up, unpriced, rate_source
                from rating_call where customer_id = :customerId and call_id in (:ids)
                """)
                .param("customerId", customer.value())
                .param("ids", List.copyOf(callIds))
                .query((rs, row) -> new RatedCall(rs.getString(1), PricingModel.valueOf(rs.getString(2)),
                        (Integer) rs.getObject(3), (Long) rs.getObject(4), rs.getString(5), strip(rs.getBigDecimal(6)),
                        rs.getInt(7), strip(rs.getBigDecimal(8)), rs.getBoolean(9), rs.getString(10),
                        components.getOrDefault(rs.getString(1), List.of())))
                .list()
                .forEach(call -> calls.put(call.callId(), call));
        return calls;
    }

    /** A billing month of one customer, from the daily rollups (days are in its billing time zone). */
    public MonthCharges month(CustomerId customer, YearMonth month, String currency) {
        Date from = Date.valueOf(month.atDay(1));
        Date to = Date.valueOf(month.plusMonths(1).atDay(1));
        CallTotals totals = totals(customer, DayRange.of(month), null);
        List<MonthCharges.Item> items = jdbc.sql("""
                select layer, provider, model, unit, sum(quantity), sum(provider_cost), sum(charge), sum(calls)
                from rating_rollup_daily where customer_id = :customerId and day >= :from and day < :to
                group by layer, provider, model, unit order by layer, provider, model, unit
                """)
                .param("customerId", customer.value()).param("from", from).param("to", to)
                .query((rs, row) -> new MonthCharges.Item(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), strip(rs.getBigDecimal(5)), strip(rs.getBigDecimal(6)),
                        strip(rs.getBigDecimal(7)), rs.getLong(8)))
                .list();
        BigDecimal charge = items.stream().map(MonthCharges.Item::charge).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal cost = items.stream().map(MonthCharges.Item::providerCost).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new MonthCharges(month, totals.calls(), totals.durationSeconds(), totals.unpricedCalls(), strip(charge),
                strip(cost),
                currency, items);
    }

    /**
     * Charge per day and layer over a billing month (per-minute charges under {@code voice_minutes}),
     * of one assistant's calls or, when {@code assistant} is null, of all.
     */
    public List<DailyLayerCharge> dailyByLayer(CustomerId customer, YearMonth month, @Nullable String assistant) {
        return dailyByLayer(customer, DayRange.of(month), assistant);
    }

    /** Charge per day and layer over any period, of one assistant's calls or of all. */
    public List<DailyLayerCharge> dailyByLayer(CustomerId customer, DayRange period, @Nullable String assistant) {
        return inPeriod("""
                select day, layer, sum(charge) from rating_rollup_daily
                where customer_id = :customerId and day >= :from and day < :to
                  and (cast(:assistant as text) is null or assistant_id = :assistant)
                group by day, layer order by day, layer
                """, customer, period, assistant)
                .query((rs, row) -> new DailyLayerCharge(rs.getDate(1).toLocalDate(), rs.getString(2),
                        rs.getBigDecimal(3)))
                .list();
    }

    /**
     * Charge of a billing month by assistant or by provider and model, largest first; of one
     * assistant's calls or, when {@code assistant} is null, of all.
     */
    public List<KeyedCharge> chargeBy(CustomerId customer, YearMonth month, boolean byAssistant,
            @Nullable String assistant) {
        return chargeBy(customer, DayRange.of(month), byAssistant, assistant);
    }

    /** Charge of any period by assistant or by provider and model, largest first. */
    public List<KeyedCharge> chargeBy(CustomerId customer, DayRange period, boolean byAssistant,
            @Nullable String assistant) {
        return inPeriod("""
                select %s, sum(charge) from rating_rollup_daily
                where customer_id = :customerId and day >= :from and day < :to
                  and (cast(:assistant as text) is null or assistant_id = :assistant)
                group by 1 order by 2 desc, 1
                """.formatted(byAssistant ? "assistant_id" : "layer || ' ' || provider || ' ' || model"), customer, period, assistant)
                .query((rs, row) -> new KeyedCharge(rs.getString(1), rs.getBigDecimal(2)))
                .list();
    }

    /**
     * Calls, seconds, unpriced calls and charge of a period, from the rollups; of one assistant's calls
     * or, when {@code assistant} is null, of all.
     */
    public CallTotals totals(CustomerId customer, DayRange period, @Nullable String assistant) {
        CallTotals counts = inPeriod("""
                select coalesce(sum(calls), 0), coalesce(sum(duration_seconds), 0), coalesce(sum(unpriced_calls), 0)
                from rating_calls_daily
                where customer_id = :customerId and day >= :from and day < :to
                  and (cast(:assistant as text) is null or assistant_id = :assistant)
                """, customer, period, assistant)
                .query((rs, row) -> new CallTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), BigDecimal.ZERO))
                .single();
        BigDecimal charge = inPeriod("""
                select coalesce(sum(charge), 0) from rating_rollup_daily
                where customer_id = :customerId and day >= :from and day < :to
                  and (cast(:assistant as text) is null or assistant_id = :assistant)
                """, customer, period, assistant)
                .query(BigDecimal.class)
                .single();
        return new CallTotals(counts.calls(), counts.durationSeconds(), counts.unpricedCalls(), strip(charge));
    }

    /**
     * How many calls of a period fall in each duration bucket (every bucket, empty ones as zero), from
     * the rollups; of one assistant's calls or of all.
     */
    public List<DurationCount> durationDistribution(CustomerId customer, DayRange period, @Nullable String assistant) {
        Map<Integer, Long> counts = new HashMap<>();
        inPeriod("""
                select duration_bucket, sum(calls) from rating_calls_daily
                where customer_id = :customerId and day >= :from and day < :to
                  and (cast(:assistant as text) is null or assistant_id = :assistant)
                group by duration_bucket
                """, customer, period, assistant)
                .query((rs, row) -> Map.entry(rs.getInt(1), rs.getLong(2)))
                .list()
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return DurationBuckets.LOWER_BOUNDS.stream()
                .map(bound -> new DurationCount(bound, DurationBuckets.label(bound), counts.getOrDefault(bound, 0L)))
                .toList();
    }

    /**
     * An assistant's P95 call duration since a day, read from the call statistics rollup (at most one row
     * per day and duration bucket, so its cost does not grow with the calls), or empty with fewer than
     * {@code minimumCalls} calls. Within the bucket that holds the 95th percentile the durations are taken
     * as spread evenly between its bounds (the open last bucket: symmetric around its mean), so this is an
     * estimate, exact at the bucket bounds.
     */
    public Optional<Integer> durationP95(CustomerId customer, String assistantId, java.time.LocalDate since,
            int minimumCalls) {
        List<long[]> buckets = jdbc.sql("""
                select duration_bucket, sum(calls), sum(duration_seconds) from rating_calls_daily
                where customer_id = :customerId and assistant_id = :assistant and day >= :since
                group by duration_bucket order by duration_bucket
                """)
                .param("customerId", customer.value())
                .param("assistant", assistantId)
                .param("since", Date.valueOf(since))
                .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                .list();
        return DurationBuckets.p95(buckets, minimumCalls);
    }

    /** Totals of a period: calls, their seconds, how many are unpriced, and the charge. */
    public record CallTotals(long calls, long durationSeconds, long unpricedCalls, BigDecimal charge) {
    }

    /** Calls in one duration bucket (named by its lower bound in seconds). */
    public record DurationCount(int lowerBoundSeconds, String label, long calls) {
    }

    /** A statement over one customer's rollups in a period, of one assistant or (null) all. */
    private JdbcClient.StatementSpec inPeriod(String sql, CustomerId customer, DayRange period,
            @Nullable String assistant) {
        return jdbc.sql(sql)
                .param("customerId", customer.value())
                .param("assistant", assistant, Types.VARCHAR)
                .param("from", Date.valueOf(period.from()))
                .param("to", Date.valueOf(period.to()));
    }

    /** One day's charge of one layer. */
    public record DailyLayerCharge(java.time.LocalDate day, String layer, BigDecimal charge) {
    }

    /** A charge under a label (an assistant, a model). */
    public record KeyedCharge(String key, BigDecimal charge) {
    }

    /** Total charge of a customer's billing month, from the rollups (what spend caps compare). */
    public BigDecimal monthCharge(CustomerId customer, YearMonth month) {
        return jdbc.sql("""
                select coalesce(sum(charge), 0) from rating_rollup_daily
                where customer_id = :customerId and day >= :from and day < :to
                """)
                .param("customerId", customer.value())
                .param("from", Date.valueOf(month.atDay(1)))
                .param("to", Date.valueOf(month.plusMonths(1).atDay(1)))
                .query(BigDecimal.class)
                .single();
    }

    /** Charge of one assistant's calls in a billing month, from the rollups. */
    public BigDecimal monthCharge(CustomerId customer, YearMonth month, String assistantId) {
        return jdbc.sql("""
                select coalesce(sum(charge), 0) from rating_rollup_daily
                where customer_id = :customerId and day >= :from and day < :to and assistant_id = :assistant
                """)
                .param("customerId", customer.value())
                .param("from", Date.valueOf(month.atDay(1)))
                .param("to", Date.valueOf(month.plusMonths(1).atDay(1)))
                .param("assistant", assistantId)
                .query(BigDecimal.class)
                .single();
    }

    /** Total charge of several customers' same billing month, from the rollups (absent: nothing charged). */
    public Map<CustomerId, BigDecimal> monthCharges(Collection<CustomerId> customers, YearMonth month) {
        if (customers.isEmpty()) {
            return Map.of();
        }
        Map<CustomerId, BigDecimal> charges = new HashMap<>();
        jdbc.sql("""
                select customer_id, sum(charge) from rating_rollup_daily
                where customer_id in (:ids) and day >= :from and day < :to group by customer_id
                """)
                .param("ids", customers.stream().map(CustomerId::value).toList())
                .param("from", Date.valueOf(month.atDay(1)))
                .param("to", Date.valueOf(month.plusMonths(1).atDay(1)))
                .query((rs, row) -> Map.entry(CustomerId.of(rs.getLong(1)), rs.getBigDecimal(2)))
                .list()
                .forEach(entry -> charges.put(entry.getKey(), entry.getValue()));
        return charges;
    }

    /** Average charge per rated call over the last days, for sizing reservations; empty without calls. */
    public java.util.Optional<BigDecimal> averageCallCharge(CustomerId customer, java.time.Instant since) {
        return jdbc.sql("""
                select avg(charge) from rating_call where customer_id = :customerId and call_time >= :since
                """)
                .param("customerId", customer.value())
                .param("since", java.sql.Timestamp.from(since))
                .query(BigDecimal.class)
                .optional();
    }

    /**
     * Charge per minute of talk over the calls since {@code since} (of one assistant, or all with null): how far
     * the money left under a cap reaches at admission. Empty without calls that lasted.
     */
    public Optional<BigDecimal> chargePerMinute(CustomerId customer, @Nullable String assistantId,
            java.time.Instant since) {
        return jdbc.sql("""
                select sum(charge) * 60 / nullif(sum(duration_seconds), 0) from rating_call
                where customer_id = :customerId and call_time >= :since and duration_seconds > 0
                  and (cast(:assistant as text) is null or assistant_id = :assistant)
                """)
                .param("customerId", customer.value())
                .param("since", java.sql.Timestamp.from(since))
                .param("assistant", assistantId)
                .query(BigDecimal.class)
                .optional();
    }

    /**
     * The models, voices and transcribers ({@code llm}, {@code tts}, {@code stt}) the assistant's latest rated call
     * used: what admission checks against a contract's allow-list when the platform does not say.
     */
    public List<ModelInUse> recentModels(CustomerId customer, String assistantId) {
        return jdbc.sql("""
                select distinct c.layer, c.provider, c.model
                from (select components from rating_call where customer_id = :customerId and assistant_id = :assistant
                      order by call_time desc limit 1) latest
                cross join lateral rated_components(latest.components) c
                where c.layer in ('llm', 'tts', 'stt') and c.provider is not null and c.model is not null
                order by 1, 2, 3
                """)
                .param("customerId", customer.value())
                .param("assistant", assistantId)
                .query((rs, row) -> new ModelInUse(rs.getString(1),
                        rs.getString(2), rs.getString(3)))
                .list();
    }

    /** Charges per day over {@code [from, to)}, from the rollups; days without calls are absent. */
    public List<DailyCharge> dailyCharges(CustomerId customer, java.time.LocalDate from, java.time.LocalDate to) {
        return jdbc.sql("""
                select day, sum(charge) from rating_rollup_daily
                where customer_id = :customerId and day >= :from and day < :to group by day order by day
                """)
                .param("customerId", customer.value())
                .param("from", Date.valueOf(from))
                .param("to", Date.valueOf(to))
                .query((rs, row) -> new DailyCharge(rs.getDate(1).toLocalDate(), rs.getBigDecimal(2)))
                .list();
    }

    /** Finance's queue: what has no price, grouped by the price that is missing. */
    public List<UnpricedItem> unpriced() {
        return jdbc.sql("""
                select rc.layer, rc.provider, rc.model, rc.unit, count(distinct c.call_id),
                    count(distinct c.customer_id), sum(rc.quantity), min(c.call_time), max(c.call_time)
                from rating_call c cross join lateral rated_components(c.components) rc
                where c.unpriced and rc.unpriced
                group by rc.layer, rc.provider, rc.model, rc.unit
                order by count(distinct c.call_id) desc
                """)
                .query((rs, row) -> new UnpricedItem(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), strip(rs.getBigDecimal(7)), rs.getTimestamp(8).toInstant(),
                        rs.getTimestamp(9).toInstant()))
                .list();
    }

    public long unpricedCalls() {
        return jdbc.sql("select count(*) from rating_call where unpriced").query(Long.class).single();
    }

    /** Rollup rows that disagree with the charges they summarise; empty when all is well. */
    public List<String> rollupMismatches() {
        return store.rollupMismatches();
    }

    private static BigDecimal strip(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros();
    }
}
