package com.voiceledger.latency.internal;

import com.voiceledger.database.DeferredWrites;
import com.voiceledger.database.DeferredWrites.Shape;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The latency tables in plain SQL. The rollup is maintained as rating's rollups are: rows gathered over a
 * group-commit batch, summed per key and written as one upsert that adds (decision 0048).
 */
@Repository
public class LatencyStore {

    private static final Shape CALL = Shape.of(
            "insert into latency_call (customer_id, call_id, assistant_id, call_time, per_layer, turns)",
            "(?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb))", "on conflict do nothing");
    private static final Shape ROLLUP = Shape.summed("""
            insert into latency_rollup_hourly (customer_id, hour, assistant_id, layer, provider, model, bucket, calls)""",
            "(?, ?, ?, ?, ?, ?, ?, ?)", """
            on conflict (customer_id, hour, assistant_id, layer, provider, model, bucket) do update set
                calls = latency_rollup_hourly.calls + excluded.calls""", 7);

    private final JdbcClient jdbc;
    private final DeferredWrites deferred;

    LatencyStore(JdbcClient jdbc, DeferredWrites deferred) {
        this.jdbc = jdbc;
        this.deferred = deferred;
    }

    /** One rollup row's key: a call adds 1 to the count of its value's bucket. */
    public record RollupKey(String layer, String provider, String model, int bucket) implements Comparable<RollupKey> {

        @Override
        public int compareTo(RollupKey other) {
            int byLayer = layer.compareTo(other.layer);
            if (byLayer != 0) {
                return byLayer;
            }
            int byProvider = provider.compareTo(other.provider);
            if (byProvider != 0) {
                return byProvider;
            }
            int byModel = model.compareTo(other.model);
            return byModel != 0 ? byModel : Integer.compare(bucket, other.bucket);
        }
    }

    /** Keeps a call's metrics and adds it to its hour's histogram rows (in key order: same lock order everywhere). */
    public void add(long customerId, String callId, String assistantId, Instant callTime, String perLayerJson,
            String turnsJson, List<RollupKey> keys) {
        deferred.add(CALL, customerId, callId, assistantId, Timestamp.from(callTime), perLayerJson, turnsJson);
        Timestamp hour = Timestamp.from(callTime.truncatedTo(java.time.temporal.ChronoUnit.HOURS));
        List<@Nullable Object[]> rows = new ArrayList<>();
        keys.stream().sorted().forEach(key -> rows.add(new Object[] {customerId, hour, assistantId, key.layer(),
                key.provider(), key.model(), (short) key.bucket(), 1L}));
        deferred.addAll(ROLLUP, rows);
    }

    /** A histogram row summed over a query's group: its group's key, the bucket and the count. */
    public record Counted(String group, String layer, int bucket, long calls) {
    }

    /**
     * Counts per (group, layer, bucket) for one customer (or every customer: null) over [from, to);
     * {@code groupBy} is one of the fixed expressions below, never user text.
     */
    public List<Counted> counts(@Nullable Long customerId, Instant from, Instant to, @Nullable String assistantId,
            Group groupBy, @Nullable String zone) {
        String sql = "select " + groupBy.expression + " as grp, layer, bucket, sum(calls) from latency_rollup_hourly"
                + " where hour >= :from and hour < :to"
                + (customerId == null ? "" : " and customer_id = :customer")
                + (assistantId == null ? "" : " and assistant_id = :assistant")
                + " group by 1, 2, 3 order by 1, 2, 3";
        var statement = jdbc.sql(sql).param("from", Timestamp.from(from)).param("to", Timestamp.from(to));
        if (customerId != null) {
            statement = statement.param("customer", customerId);
        }
        if (assistantId != null) {
            statement = statement.param("assistant", assistantId);
        }
        if (zone != null) {
            statement = statement.param("zone", zone);
        }
        return statement.query((rs, row) -> new Counted(rs.getString(1), rs.getString(2), rs.getInt(3),
                rs.getLong(4))).list();
    }

    /** What a histogram query groups by. */
    public enum Group {
        NONE("''"), ASSISTANT("assistant_id"), DAY("to_char(hour at time zone :zone, 'YYYY-MM-DD')"),
        PROVIDER_MODEL("provider || '\u0001' || model");

        final String expression;

        Group(String expression) {
            this.expression = expression;
        }
    }

    /** A call's per-layer values and turns as stored (JSON), or null when it has none. */
    public @Nullable String[] call(long customerId, String callId) {
        return jdbc.sql("select per_layer::text, turns::text from latency_call where customer_id = :customer and call_id = :call")
                .param("customer", customerId).param("call", callId)
                .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2)}).optional().orElse(null);
    }

    public void setThreshold(long customerId, String assistantId, int p95Ms, Instant now, String actor) {
        jdbc.sql("""
                insert into latency_alert_setting (customer_id, assistant_id, p95_ms, updated_at, updated_by)
                values (:customer, :assistant, :p95, :now, :actor)
                on conflict (customer_id, assistant_id) do update set p95_ms = excluded.p95_ms,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """).param("customer", customerId).param("assistant", assistantId).param("p95", p95Ms)
                .param("now", Timestamp.from(now)).param("actor", actor).update();
    }

    public boolean removeThreshold(long customerId, String assistantId) {
        return jdbc.sql("delete from latency_alert_setting where customer_id = :customer and assistant_id = :assistant")
                .param("customer", customerId).param("assistant", assistantId).update() == 1;
    }

    /** A customer's thresholds by assistant. */
    public Map<String, Integer> thresholds(long customerId) {
        Map<String, Integer> thresholds = new TreeMap<>();
        jdbc.sql("select assistant_id, p95_ms from latency_alert_setting where customer_id = :customer")
                .param("customer", customerId)
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getInt(2))).list()
                .forEach(entry -> thresholds.put(entry.getKey(), entry.getValue()));
        return thresholds;
    }

    /** An assistant with a threshold and its turn-latency histogram for one hour. */
    public record HourOfAssistant(long customerId, String assistantId, int p95Ms, Map<Integer, Long> histogram) {
    }

    /** Every assistant with a threshold that had turn latencies measured in the hour starting at {@code hour}. */
    public List<HourOfAssistant> hourWithThresholds(Instant hour, String layer) {
        Map<List<Object>, HourOfAssistant> found = new java.util.LinkedHashMap<>();
        jdbc.sql("""
                select s.customer_id, s.assistant_id, s.p95_ms, r.bucket, sum(r.calls)
                from latency_alert_setting s
                join latency_rollup_hourly r on r.customer_id = s.customer_id and r.assistant_id = s.assistant_id
                where r.hour = :hour and r.layer = :layer
                group by 1, 2, 3, 4 order by 1, 2, 4
                """).param("hour", Timestamp.from(hour)).param("layer", layer)
                .query((rs, row) -> {
                    long customer = rs.getLong(1);
                    String assistant = rs.getString(2);
                    HourOfAssistant entry = found.computeIfAbsent(List.of(customer, assistant),
                            key -> new HourOfAssistant(customer, assistant, 0, new TreeMap<>()));
                    entry.histogram().put(rs.getInt(4), rs.getLong(5));
                    found.put(List.of(customer, assistant), new HourOfAssistant(customer, assistant, rs.getInt(3),
                            entry.histogram()));
                    return row;
                }).list();
        return List.copyOf(found.values());
    }
}
