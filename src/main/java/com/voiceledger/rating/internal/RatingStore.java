package com.voiceledger.rating.internal;

import com.voiceledger.contract.PricingModel;
import com.voiceledger.database.DeferredWrites;
import com.voiceledger.database.DeferredWrites.Merge;
import com.voiceledger.database.DeferredWrites.Shape;
import com.voiceledger.database.JsonbValues;
import com.voiceledger.rating.DurationBuckets;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Layer;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Writes charges and keeps the daily rollups in step with them: added to on ingest, rebuilt from the
 * charges for the customer-days a re-rating touched. Per-minute contracts add a {@code voice_minutes}
 * row whose quantity is billable seconds.
 */
@Repository
public class RatingStore {

    private static final String RATED_CALL_HEAD = """
            insert into rating_call (call_id, customer_id, call_time, day, duration_seconds, pricing_model,
                rate_version, contract_id, currency, charge, billable_seconds, minimum_top_up, unpriced,
                rate_source, rated_at, provider_cost, assistant_id, invoice_id, billable_epoch, components)""";
    private static final String RATED_CALL_TUPLE =
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))";
    /** A re-rated call, after its old rating was deleted. */
    private static final Shape RATED_CALL = Shape.of(RATED_CALL_HEAD, RATED_CALL_TUPLE, "");
    /**
     * A call's first rating. A call is rated only once reported, and this runs in the transaction that first
     * records its report, so no rating can be there yet; if one were, the batch fails and is retried.
     */
    private static final Shape FIRST_RATED_CALL = Shape.everyRow(RATED_CALL_HEAD, RATED_CALL_TUPLE,
            "on conflict (call_id, customer_id) do nothing");
    /** Rollup rows are summed per key over a batch before this upsert adds them (decision 0048). */
    private static final Shape ROLLUP = Shape.summed("""
            insert into rating_rollup_daily (customer_id, day, layer, provider, model, unit, assistant_id, quantity,
                provider_cost, charge, calls)""", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", """
            on conflict (customer_id, day, layer, provider, model, unit, assistant_id) do update set
                quantity = rating_rollup_daily.quantity + excluded.quantity,
                provider_cost = rating_rollup_daily.provider_cost + excluded.provider_cost,
                charge = rating_rollup_daily.charge + excluded.charge,
                calls = rating_rollup_daily.calls + excluded.calls""", 7);
    private static final Shape CALL_STATS = Shape.summed("""
            insert into rating_calls_daily (customer_id, day, assistant_id, duration_bucket, calls,
                duration_seconds, unpriced_calls)""", "(?, ?, ?, ?, ?, ?, ?)", """
            on conflict (customer_id, day, assistant_id, duration_bucket) do update set
                calls = rating_calls_daily.calls + excluded.calls,
                duration_seconds = rating_calls_daily.duration_seconds + excluded.duration_seconds,
                unpriced_calls = rating_calls_daily.unpriced_calls + excluded.unpriced_calls""", 4);

    /**
     * Invoice-line rollup rows, merged per key over a batch: sums, the first call's time and the last's
     * (decisions 0048, 0050).
     */
    private static final Shape INVOICE_ROLLUP = Shape.merged("""
            insert into rating_invoice_rollup (customer_id, day, billable_epoch, pricing_model, layer, provider,
                model, unit, billed_unit_price, rate_source, contract_id, quantity, charge, top_up, calls,
                topped_up_calls, first_call, last_call)""",
            "(?, ?, ?, ?, ?, ?, ?, ?, cast(? as numeric), ?, ?, ?, ?, ?, ?, ?, ?, ?)", """
            on conflict (customer_id, day, billable_epoch, pricing_model, layer, provider, model, unit,
                billed_unit_price, rate_source, contract_id) do update set
                quantity = rating_invoice_rollup.quantity + excluded.quantity,
                charge = rating_invoice_rollup.charge + excluded.charge,
                top_up = rating_invoice_rollup.top_up + excluded.top_up,
                calls = rating_invoice_rollup.calls + excluded.calls,
                topped_up_calls = rating_invoice_rollup.topped_up_calls + excluded.topped_up_calls,
                first_call = least(rating_invoice_rollup.first_call, excluded.first_call),
                last_call = greatest(rating_invoice_rollup.last_call, excluded.last_call)""", 11,
            Merge.SUM, Merge.SUM, Merge.SUM, Merge.SUM, Merge.SUM, Merge.MIN, Merge.MAX);

    private final JdbcClient jdbc;
    private final DeferredWrites deferred;

    RatingStore(JdbcClient jdbc, DeferredWrites deferred) {
        this.jdbc = jdbc;
        this.deferred = deferred;
    }

    /**
     * Replaces the call's charges. Returns true when the call had been rated before (re-rating). A call
     * that is on an invoice stays on it (read under the row lock the delete takes; decision 0050): its
     * billable epoch is kept while it is priced, and also when it becomes unpriced if a close covers it.
     * An open call keeps its epoch while priced, loses it when unpriced (decision 0037: unpriced calls
     * stay open), and gets {@code closes} (the customer's closes so far, read under the charge lock) when
     * it becomes priced.
     */
    public boolean replace(RatedCall rated, CustomerId customer, Instant callTime, LocalDate day, int durationSeconds,
            List<UsageComponent> components, @Nullable String assistantId, Instant now, int closes) {
        List<Previous> previous = jdbc.sql("""
                delete from rating_call where call_id = :id
                returning invoice_id, customer_id, billable_epoch, rating_covered(customer_id, day, billable_epoch)
                """)
                .param("id", rated.callId())
                .query((rs, row) -> new Previous(rs.getObject(1, Long.class), rs.getLong(2),
                        rs.getObject(3, Integer.class), rs.getBoolean(4)))
                .list();
        Integer epoch = firstEpoch(rated, closes);
        Long invoiceId = null;
        if (!previous.isEmpty() && previous.getFirst().customerId() == customer.value()) {
            Previous before = previous.getFirst();
            invoiceId = before.invoiceId();
            if (before.epoch() != null && (!rated.unpriced() || before.covered())) {
                epoch = before.epoch();
            }
        }
        insert(rated, customer, callTime, day, durationSeconds, components, assistantId, now, invoiceId, epoch, false);
        return !previous.isEmpty();
    }

    private record Previous(@Nullable Long invoiceId, long customerId, @Nullable Integer epoch, boolean covered) {
    }

    /** A call priced again by a re-rating, with what it was priced from. */
    public record Rerated(RatedCall rated, CustomerId customer, Instant callTime, LocalDate day, int durationSeconds,
            List<UsageComponent> components, @Nullable String assistantId) {
    }

    /**
     * Replaces the ratings of many calls at once (a re-rating's transaction, which holds their customers' locks;
     * {@code closes}: each customer's closes so far, read under them), set-based: one statement reads the previous
     * ratings, one deletes those not on an invoice, one inserts their new ratings (decision 0064). Calls a close
     * covers keep their rating (corrections there are credit notes); each other call keeps or gets its epoch as
     * {@link #replace} says. Returns the customer-days written (their rollups must then be rebuilt).
     */
    public Map<CustomerId, Set<LocalDate>> replaceAll(List<Rerated> calls, Map<CustomerId, Integer> closes,
            Instant now) {
        Map<CustomerId, Set<LocalDate>> touched = new java.util.TreeMap<>(
                java.util.Comparator.comparingLong(CustomerId::value));
        if (calls.isEmpty()) {
            return touched;
        }
        Map<String, Previous> previous = new java.util.HashMap<>();
        jdbc.sql("""
                select call_id, invoice_id, customer_id, billable_epoch, rating_covered(customer_id, day, billable_epoch)
                from rating_call where call_id in (:ids)
                """)
                .param("ids", calls.stream().map(call -> call.rated().callId()).toList())
                .query((rs, row) -> Map.entry(rs.getString(1), new Previous(rs.getObject(2, Long.class), rs.getLong(3),
                        rs.getObject(4, Integer.class), rs.getBoolean(5))))
                .list()
                .forEach(entry -> previous.put(entry.getKey(), entry.getValue()));
        List<Rerated> open = calls.stream().filter(call -> {
            Previous before = previous.get(call.rated().callId());
            return before == null || !before.covered();
        }).toList();
        List<String> replaced = open.stream().map(call -> call.rated().callId()).filter(previous::containsKey).toList();
        if (!replaced.isEmpty()) {
            jdbc.sql("delete from rating_call where call_id in (:ids)").param("ids", replaced).update();
        }
        deferred.batched(() -> {
            for (Rerated call : open) {
                RatedCall rated = call.rated();
                Integer epoch = firstEpoch(rated, closes.get(call.customer()));
                Long invoiceId = null;
                Previous before = previous.get(rated.callId());
                if (before != null && before.customerId() == call.customer().value()) {
                    invoiceId = before.invoiceId();
                    if (before.epoch() != null && !rated.unpriced()) {
                        epoch = before.epoch();
                    }
                }
                insert(rated, call.customer(), call.callTime(), call.day(), call.durationSeconds(), call.components(),
                        call.assistantId(), now, invoiceId, epoch, false);
                touched.computeIfAbsent(call.customer(), key -> new java.util.TreeSet<>()).add(call.day());
            }
            return null;
        });
        return touched;
    }

    /** The billable epoch a first rating gets: the customer's closes so far, or none while unpriced. */
    public static @Nullable Integer firstEpoch(RatedCall rated, int closes) {
        return rated.unpriced() ? null : closes;
    }

    /**
     * The first rating of a just-recorded call: inserted without first deleting (or reading) a previous
     * rating, which a call recorded in this transaction cannot have; written with the batch's other rows.
     */
    public void insertFirst(RatedCall rated, CustomerId customer, Instant callTime, LocalDate day,
            int durationSeconds, List<UsageComponent> components, @Nullable String assistantId, Instant now,
            int closes) {
        insert(rated, customer, callTime, day, durationSeconds, components, assistantId, now, null,
                firstEpoch(rated, closes), true);
    }

    private void insert(RatedCall rated, CustomerId customer, Instant callTime, LocalDate day, int durationSeconds,
            List<UsageComponent> components, @Nullable String assistantId, Instant now, @Nullable Long invoiceId,
            @Nullable Integer epoch, boolean first) {
        List<BigDecimal> costs = ProviderCosts.byCharge(components, rated);
        deferred.add(first ? FIRST_RATED_CALL : RATED_CALL, rated.callId(), customer.value(), Timestamp.from(callTime),
                Date.valueOf(day), durationSeconds, rated.pricingModel().name(), rated.rateVersion(), rated.contractId(),
                rated.currency(), rated.charge(), rated.billableSeconds(), rated.minimumTopUp(), rated.unpriced(),
                rated.rateSource(), Timestamp.from(now), costs.stream().reduce(BigDecimal.ZERO, BigDecimal::add),
                assistantId == null ? "-" : assistantId, invoiceId, epoch, componentsJson(rated, components, costs));
    }

    /**
     * A call's components as charged, the jsonb array on its row (read back by SQL's {@code rated_components};
     * decision 0060). {@code costs}: each component's provider cost, by seq.
     */
    public static String componentsJson(RatedCall rated, List<UsageComponent> components, List<BigDecimal> costs) {
        List<ChargedComponent> charged = new ArrayList<>(rated.components().size());
        for (RatedCall.Component charge : rated.components()) {
            UsageComponent usage = components.get(charge.seq());
            charged.add(new ChargedComponent(charge.seq(), usage.layer(), usage.provider(), usage.model(),
                    usage.unit(), usage.quantity(), costs.get(charge.seq()), charge.unitPrice(),
                    charge.billedUnitPrice(), charge.charge(), charge.rateSource(), charge.unpriced()));
        }
        return JsonbValues.array(charged);
    }

    /** One element of {@code rating_call.components}; its names are the JSON keys (decision 0060). */
    private record ChargedComponent(int seq, String layer, String provider, String model, String unit,
            BigDecimal quantity, BigDecimal providerCost, @Nullable BigDecimal unitPrice,
            @Nullable BigDecimal billedUnitPrice, BigDecimal charge, String rateSource, boolean unpriced) {
    }

    /** Adds one newly rated call to its day's rollup rows (the ingest path). */
    public void addToRollup(RatedCall rated, CustomerId customer, LocalDate day, List<UsageComponent> components,
            @Nullable String assistantId) {
        String assistant = assistantId == null ? "-" : assistantId;
        List<BigDecimal> costs = ProviderCosts.byCharge(components, rated);
        // A call counts once per rollup row, even if two of its components share the row's key; rows in key
        // order, so that concurrent transactions lock shared rollup rows in the same order.
        Map<List<String>, BigDecimal[]> rows = new java.util.TreeMap<>(KEY_ORDER);
        for (RatedCall.Component charge : rated.components()) {
            UsageComponent usage = components.get(charge.seq());
            BigDecimal[] sums = rows.computeIfAbsent(
                    List.of(usage.layer(), usage.provider(), usage.model(), usage.unit()),
                    key -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            sums[0] = sums[0].add(usage.quantity());
            sums[1] = sums[1].add(costs.get(charge.seq()));
            sums[2] = sums[2].add(charge.charge());
        }
        if (rated.pricingModel() == PricingModel.PER_MINUTE && rated.billableSeconds() > 0) {
            rows.put(List.of(Layer.VOICE_MINUTES, "-", "-", "second"), new BigDecimal[] {
                    BigDecimal.valueOf(rated.billableSeconds()), BigDecimal.ZERO, rated.charge()});
        }
        Date date = Date.valueOf(day);
        List<@Nullable Object[]> upserts = new ArrayList<>(rows.size());
        rows.forEach((key, sums) -> upserts.add(new Object[] {customer.value(), date, key.get(0), key.get(1),
                key.get(2), key.get(3), assistant, sums[0], sums[1], sums[2], 1}));
        deferred.addAll(ROLLUP, upserts);
    }

    /**
     * Adds one newly rated call to its day's invoice-line rollup rows (the ingest path): cost-plus calls per
     * layer, provider, model, unit, billed unit price and price source, per-minute calls per contract, under
     * the call's billable epoch. Unpriced calls are not billable yet and add nothing. One statement of rows
     * pre-summed per key, in key order (as {@link #addToRollup}). Written at once, not
     * through {@link DeferredWrites}: its first and last call are a minimum and a maximum, which the batch's
     * summing does not do yet.
     */
    public void addToInvoiceRollup(RatedCall rated, CustomerId customer, LocalDate day, Instant callTime,
            List<UsageComponent> components, @Nullable Integer epoch) {
        if (epoch == null || rated.unpriced()) {
            return;
        }
        Map<List<String>, Object[]> rows = new java.util.TreeMap<>(KEY_ORDER);
        if (rated.pricingModel() == PricingModel.PER_MINUTE) {
            BigDecimal topUp = rated.minimumTopUp();
            rows.put(List.of("PER_MINUTE", Layer.VOICE_MINUTES, "-", "-", "second", "0", "",
                    String.valueOf(rated.contractId() == null ? 0 : rated.contractId())), new Object[] {
                    BigDecimal.valueOf(rated.billableSeconds()), rated.charge().subtract(topUp), topUp,
                    topUp.signum() > 0 ? 1 : 0});
        } else {
            for (RatedCall.Component charge : rated.components()) {
                UsageComponent usage = components.get(charge.seq());
                Object[] sums = rows.computeIfAbsent(List.of("RATE_CARD", usage.layer(), usage.provider(),
                                usage.model(), usage.unit(), charge.billedUnitPrice().stripTrailingZeros().toPlainString(),
                                charge.rateSource(), "0"),
                        key -> new Object[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0});
                sums[0] = ((BigDecimal) sums[0]).add(usage.quantity());
                sums[1] = ((BigDecimal) sums[1]).add(charge.charge());
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        Date date = Date.valueOf(day);
        Timestamp time = Timestamp.from(callTime);
        List<@Nullable Object[]> upserts = new ArrayList<>(rows.size());
        rows.forEach((key, sums) -> upserts.add(new Object[] {customer.value(), date, epoch, key.get(0), key.get(1),
                key.get(2), key.get(3), key.get(4), key.get(5), key.get(6), Long.parseLong(key.get(7)), sums[0], sums[1],
                sums[2], 1, sums[3], time, time}));
        deferred.addAll(INVOICE_ROLLUP, upserts);
    }

    /** Counts one newly rated call in its day's call statistics (calls, seconds, duration bucket). */
    public void addToCallStats(RatedCall rated, CustomerId customer, LocalDate day, int durationSeconds,
            @Nullable String assistantId) {
        deferred.add(CALL_STATS, customer.value(), Date.valueOf(day), assistantId == null ? "-" : assistantId,
                DurationBuckets.bucketOf(durationSeconds), 1, durationSeconds, rated.unpriced() ? 1 : 0);
    }

    private static final java.util.Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int order = a.get(i).compareTo(b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    };

    /** Recomputes the rollup rows of some customer-days from the charges (after re-rating). */
    public void rebuildRollups(CustomerId customer, Set<LocalDate> days) {
        rebuildRollups(customer, days, null, null);
    }

    /**
     * {@link #rebuildRollups(CustomerId, Set)} reading only the customer's calls between two instants that
     * bound its days (null: all of its calls): the charges have no index on the day, and without the bounds each
     * of the three statements read every call the customer ever had (decision 0064).
     */
    public void rebuildRollups(CustomerId customer, Set<LocalDate> days, @Nullable Instant notBefore,
            @Nullable Instant before) {
        if (days.isEmpty()) {
            return;
        }
        deferred.flush(); // the rebuild reads the charges
        List<Date> dates = days.stream().map(Date::valueOf).toList();
        String calls = notBefore == null || before == null ? "and c.customer_id = :customerId and c.day in (:days)"
                : "and c.customer_id = :customerId and c.day in (:days) and c.call_time >= :notBefore"
                        + " and c.call_time < :before";
        Timestamp from = notBefore == null ? null : Timestamp.from(notBefore);
        Timestamp to = before == null ? null : Timestamp.from(before);
        jdbc.sql("delete from rating_rollup_daily where customer_id = :customerId and day in (:days)")
                .param("customerId", customer.value()).param("days", dates).update();
        bounded(jdbc.sql(ROLLUP_SELECT.formatted(calls)), from, to)
                .param("customerId", customer.value()).param("days", dates).update();
        jdbc.sql("delete from rating_calls_daily where customer_id = :customerId and day in (:days)")
                .param("customerId", customer.value()).param("days", dates).update();
        bounded(jdbc.sql(CALL_STATS_SELECT.formatted(calls)), from, to)
                .param("customerId", customer.value()).param("days", dates).update();
        jdbc.sql("delete from rating_invoice_rollup where customer_id = :customerId and day in (:days)")
                .param("customerId", customer.value()).param("days", dates).update();
        bounded(jdbc.sql(INVOICE_ROLLUP_SELECT.formatted(calls)), from, to)
                .param("customerId", customer.value()).param("days", dates).update();
    }

    private static JdbcClient.StatementSpec bounded(JdbcClient.StatementSpec statement, @Nullable Timestamp from,
            @Nullable Timestamp to) {
        return from == null || to == null ? statement : statement.param("notBefore", from).param("before", to);
    }

    /** Recomputes every rollup row from the charges. */
    public void rebuildAllRollups() {
        jdbc.sql("delete from rating_rollup_daily").update();
        jdbc.sql(ROLLUP_SELECT.formatted("")).update();
        jdbc.sql("delete from rating_calls_daily").update();
        jdbc.sql(CALL_STATS_SELECT.formatted("")).update();
        jdbc.sql("delete from rating_invoice_rollup").update();
        jdbc.sql(INVOICE_ROLLUP_SELECT.formatted("")).update();
    }

    /** Recomputes the invoice-line rollup alone from the charges (a bulk load, e.g. a benchmark data set). */
    public void rebuildInvoiceRollups() {
        jdbc.sql("delete from rating_invoice_rollup").update();
        jdbc.sql(INVOICE_ROLLUP_SELECT.formatted("")).update();
    }

    /** Rows where the rollups and a fresh aggregate of the charges disagree (none when all is well). */
    public List<String> rollupMismatches() {
        List<String> mismatches = jdbc.sql("""
                with fresh as (%s)
                select coalesce(r.customer_id, f.customer_id) || ' ' || coalesce(r.day, f.day) || ' '
                    || coalesce(r.layer, f.layer) || ' ' || coalesce(r.provider, f.provider) || ' '
                    || coalesce(r.model, f.model) || ' ' || coalesce(r.unit, f.unit) || ': rollup '
                    || coalesce(r.charge::text, 'missing') || ' vs charges ' || coalesce(f.charge::text, 'missing')
                from rating_rollup_daily r
                full join fresh f using (customer_id, day, layer, provider, model, unit, assistant_id)
                where r.customer_id is null or f.customer_id is null or r.quantity <> f.quantity
                   or r.provider_cost <> f.provider_cost or r.charge <> f.charge or r.calls <> f.calls
                order by 1 limit 100
                """.formatted(AGGREGATE.formatted("")))
                .query(String.class)
                .list();
        List<String> statsMismatches = jdbc.sql("""
                with fresh as (%s)
                select coalesce(r.customer_id, f.customer_id) || ' ' || coalesce(r.day, f.day) || ' '
                    || coalesce(r.assistant_id, f.assistant_id) || ' ' || coalesce(r.duration_bucket, f.duration_bucket)
                    || ' s: call stats ' || coalesce(r.calls::text, 'missing') || ' vs calls '
                    || coalesce(f.calls::text, 'missing')
                from rating_calls_daily r
                full join fresh f using (customer_id, day, assistant_id, duration_bucket)
                where r.customer_id is null or f.customer_id is null or r.calls <> f.calls
                   or r.duration_seconds <> f.duration_seconds or r.unpriced_calls <> f.unpriced_calls
                order by 1 limit 100
                """.formatted(CALL_STATS_AGGREGATE.formatted("")))
                .query(String.class)
                .list();
        List<String> invoiceMismatches = jdbc.sql("""
                with fresh as (%s)
                select coalesce(r.customer_id, f.customer_id) || ' ' || coalesce(r.day, f.day) || ' epoch '
                    || coalesce(r.billable_epoch, f.billable_epoch) || ' ' || coalesce(r.layer, f.layer) || ' '
                    || coalesce(r.provider, f.provider) || ' ' || coalesce(r.model, f.model) || ' '
                    || coalesce(r.unit, f.unit) || ': invoice rollup ' || coalesce(r.charge::text, 'missing')
                    || ' vs charges ' || coalesce(f.charge::text, 'missing')
                from rating_invoice_rollup r
                full join fresh f using (customer_id, day, billable_epoch, pricing_model, layer, provider, model, unit,
                    billed_unit_price, rate_source, contract_id)
                where r.customer_id is null or f.customer_id is null or r.quantity <> f.quantity
                   or r.charge <> f.charge or r.top_up <> f.top_up or r.calls <> f.calls
                   or r.topped_up_calls <> f.topped_up_calls or r.first_call <> f.first_call
                   or r.last_call <> f.last_call
                order by 1 limit 100
                """.formatted(INVOICE_AGGREGATE.formatted("")))
                .query(String.class)
                .list();
        List<String> all = new ArrayList<>(mismatches);
        all.addAll(statsMismatches);
        all.addAll(invoiceMismatches);
        return all;
    }

    private static final String AGGREGATE = """
            select c.customer_id, c.day, rc.layer, rc.provider, rc.model, rc.unit, c.assistant_id,
                sum(rc.quantity) as quantity, sum(rc.provider_cost) as provider_cost, sum(rc.charge) as charge,
                count(distinct c.call_id) as calls
            from rating_call c cross join lateral rated_components(c.components) rc
            where true %1$s
            group by c.customer_id, c.day, rc.layer, rc.provider, rc.model, rc.unit, c.assistant_id
            union all
            select c.customer_id, c.day, 'voice_minutes', '-', '-', 'second', c.assistant_id, sum(c.billable_seconds), 0,
                sum(c.charge), count(*)
            from rating_call c
            where c.pricing_model = 'PER_MINUTE' and c.billable_seconds > 0 %1$s
            group by c.customer_id, c.day, c.assistant_id""";

    // Bucket bounds as in DurationBuckets.LOWER_BOUNDS (checked by a test against bucketOf).
    private static final String CALL_STATS_AGGREGATE = """
            select c.customer_id, c.day, c.assistant_id,
                (array[0, 15, 30, 60, 120, 300, 600, 1200])[width_bucket(c.duration_seconds,
                    array[15, 30, 60, 120, 300, 600, 1200]) + 1] as duration_bucket,
                count(*) as calls, sum(c.duration_seconds) as duration_seconds,
                count(*) filter (where c.unpriced) as unpriced_calls
            from rating_call c
            where true %1$s
            group by 1, 2, 3, 4""";

    private static final String CALL_STATS_SELECT = """
            insert into rating_calls_daily (customer_id, day, assistant_id, duration_bucket, calls, duration_seconds,
                unpriced_calls)
            """ + CALL_STATS_AGGREGATE;

    // Priced calls with an epoch (the unpriced ones are not billable yet), as addToInvoiceRollup adds them.
    private static final String INVOICE_AGGREGATE = """
            select c.customer_id, c.day, c.billable_epoch, 'RATE_CARD' as pricing_model, rc.layer, rc.provider,
                rc.model, rc.unit, rc.billed_unit_price, rc.rate_source, 0::bigint as contract_id,
                sum(rc.quantity) as quantity, sum(rc.charge) as charge, 0::numeric as top_up,
                count(distinct c.call_id)::integer as calls, 0 as topped_up_calls, min(c.call_time) as first_call,
                max(c.call_time) as last_call
            from rating_call c cross join lateral rated_components(c.components) rc
            where c.pricing_model = 'RATE_CARD' and c.billable_epoch is not null and not c.unpriced %1$s
            group by c.customer_id, c.day, c.billable_epoch, rc.layer, rc.provider, rc.model, rc.unit,
                rc.billed_unit_price, rc.rate_source
            union all
            select c.customer_id, c.day, c.billable_epoch, 'PER_MINUTE', 'voice_minutes', '-', '-', 'second', 0, '',
                coalesce(c.contract_id, 0), sum(c.billable_seconds), sum(c.charge - c.minimum_top_up),
                sum(c.minimum_top_up), count(*), count(*) filter (where c.minimum_top_up > 0), min(c.call_time),
                max(c.call_time)
            from rating_call c
            where c.pricing_model = 'PER_MINUTE' and c.billable_epoch is not null and not c.unpriced %1$s
            group by c.customer_id, c.day, c.billable_epoch, coalesce(c.contract_id, 0)""";

    private static final String INVOICE_ROLLUP_SELECT = """
            insert into rating_invoice_rollup (customer_id, day, billable_epoch, pricing_model, layer, provider, model,
                unit, billed_unit_price, rate_source, contract_id, quantity, charge, top_up, calls, topped_up_calls,
                first_call, last_call)
            """ + INVOICE_AGGREGATE;

    private static final String ROLLUP_SELECT = """
            insert into rating_rollup_daily (customer_id, day, layer, provider, model, unit, assistant_id, quantity,
                provider_cost, charge, calls)
            """ + AGGREGATE;
}
