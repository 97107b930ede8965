package com.voiceledger.usage;

import com.voiceledger.shared.CustomerId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reported, attributed calls in (call time, id) order, for re-rating in batches: by one customer or
 * all, from an instant on.
 */
@Service
@Transactional(readOnly = true)
public class RatableCalls {

    private final JdbcClient jdbc;

    RatableCalls(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long count(@Nullable CustomerId customer, Instant from) {
        return jdbc.sql("""
                select count(*) from usage_call
                where reported and customer_id is not null and call_time >= :from
                  and (cast(:customerId as bigint) is null or customer_id = :customerId)
                """)
                .param("from", Timestamp.from(from))
                .param("customerId", customer == null ? null : customer.value())
                .query(Long.class)
                .single();
    }

    /** The next {@code limit} calls after the position (null: from the start). */
    public List<RatableCall> page(@Nullable CustomerId customer, Instant from, @Nullable Instant afterTime,
            @Nullable String afterId, int limit) {
        Map<String, RatableCall> calls = new LinkedHashMap<>();
        jdbc.sql("""
                select id, customer_id, call_time, duration_seconds, assistant_id from usage_call
                where reported and customer_id is not null and call_time >= :from
                  and (cast(:customerId as bigint) is null or customer_id = :customerId)
                  and (cast(:afterTime as timestamptz) is null or (call_time, id) > (:afterTime, :afterId))
                order by call_time, id limit :limit
                """)
                .param("from", Timestamp.from(from))
                .param("customerId", customer == null ? null : customer.value())
                .param("afterTime", afterTime == null ? null : Timestamp.from(afterTime))
                .param("afterId", afterId == null ? "" : afterId)
                .param("limit", limit)
                .query((rs, row) -> new RatableCall(rs.getString(1), CustomerId.of(rs.getLong(2)),
                        rs.getTimestamp(3).toInstant(), rs.getInt(4), new ArrayList<>(), rs.getString(5)))
                .list()
                .forEach(call -> calls.put(call.callId(), call));
        if (calls.isEmpty()) {
            return List.of();
        }
        Map<String, List<UsageComponent>> components = new HashMap<>();
        jdbc.sql("""
                select c.id, u.cost_type, u.layer, u.provider, u.model, u.unit, u.quantity, u.provider_cost
                from usage_call c cross join lateral usage_components(c.components) u
                where c.id in (:ids) order by c.id, u.seq
                """)
                .param("ids", List.copyOf(calls.keySet()))
                .query((rs, row) -> Map.entry(rs.getString(1), new UsageComponent(rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getBigDecimal(7), rs.getBigDecimal(8))))
                .list()
                .forEach(entry -> components.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(entry.getValue()));
        return calls.values().stream()
                .map(call -> new RatableCall(call.callId(), call.customerId(), call.callTime(), call.durationSeconds(),
                        components.getOrDefault(call.callId(), List.of()), call.assistantId()))
                .toList();
    }
}
