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

    /**
     * The next {@code limit} calls in customer order (customer id ascending, then each customer's calls newest
     * first, the order of the index {@code usage_call_customer_time}), after the position {@code afterCustomer},
     * {@code afterTime}, {@code afterId} (all null: from the start; {@code afterTime} null: from the customer's
     * newest call). Re-rating goes customer by customer so that each of its transactions holds few customers'
     * locks and rebuilds each customer-day's rollups once (decision 0064). One query per customer reached, each
     * a range of the index; the next customer is found by the index too ({@code min(customer_id) > ...}).
     */
    public List<RatableCall> pageByCustomer(@Nullable CustomerId customer, Instant from, @Nullable CustomerId afterCustomer,
            @Nullable Instant afterTime, @Nullable String afterId, int limit) {
        List<RatableCall> rows = new ArrayList<>();
        Long current = afterCustomer == null ? nextCustomer(customer, null) : Long.valueOf(afterCustomer.value());
        Instant before = afterCustomer == null ? null : afterTime;
        String beforeId = afterCustomer == null ? null : afterId;
        while (current != null && rows.size() < limit) {
            int wanted = limit - rows.size();
            long customerId = current;
            List<RatableCall> found = jdbc.sql("""
                    select id, customer_id, call_time, duration_seconds, assistant_id from usage_call
                    where customer_id = :customerId and reported and call_time >= :from
                      and (cast(:beforeTime as timestamptz) is null or (call_time, id) < (:beforeTime, :beforeId))
                    order by call_time desc, id desc limit :limit
                    """)
                    .param("customerId", customerId)
                    .param("from", Timestamp.from(from))
                    .param("beforeTime", before == null ? null : Timestamp.from(before))
                    .param("beforeId", beforeId == null ? "" : beforeId)
                    .param("limit", wanted)
                    .query((rs, row) -> new RatableCall(rs.getString(1), CustomerId.of(rs.getLong(2)),
                            rs.getTimestamp(3).toInstant(), rs.getInt(4), new ArrayList<>(), rs.getString(5)))
                    .list();
            rows.addAll(found);
            if (found.size() < wanted) {
                current = customer != null ? null : nextCustomer(null, customerId);
                before = null;
                beforeId = null;
            }
        }
        return withComponents(rows);
    }

    /** The first customer with calls after {@code after} (null: the first), or {@code only} itself. */
    private @Nullable Long nextCustomer(@Nullable CustomerId only, @Nullable Long after) {
        if (only != null) {
            return after == null ? only.value() : null;
        }
        return jdbc.sql("select min(customer_id) from usage_call where customer_id > :after")
                .param("after", after == null ? Long.MIN_VALUE : after)
                .query(Long.class)
                .list().stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
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
        return withComponents(List.copyOf(calls.values()));
    }

    private List<RatableCall> withComponents(List<RatableCall> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        Map<String, List<UsageComponent>> components = new HashMap<>();
        jdbc.sql("""
                select c.id, u.cost_type, u.layer, u.provider, u.model, u.unit, u.quantity, u.provider_cost
                from usage_call c cross join lateral usage_components(c.components) u
                where c.id in (:ids) order by c.id, u.seq
                """)
                .param("ids", calls.stream().map(RatableCall::callId).toList())
                .query((rs, row) -> Map.entry(rs.getString(1), new UsageComponent(rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getBigDecimal(7), rs.getBigDecimal(8))))
                .list()
                .forEach(entry -> components.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(entry.getValue()));
        return calls.stream()
                .map(call -> new RatableCall(call.callId(), call.customerId(), call.callTime(), call.durationSeconds(),
                        components.getOrDefault(call.callId(), List.of()), call.assistantId()))
                .toList();
    }
}
