package com.voiceledger.usage;

import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.internal.CallCursor;
import com.voiceledger.usage.internal.CallRows;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads of the usage store. Every customer-facing read takes the customer as a scope: a call of
 * another customer is indistinguishable from a missing one.
 */
@Service
@Transactional(readOnly = true)
public class CallQueries {

    public static final int MAX_PAGE_SIZE = 1000;

    private final JdbcClient jdbc;
    private final TranscriptPolicies transcripts;

    CallQueries(JdbcClient jdbc, TranscriptPolicies transcripts) {
        this.transcripts = transcripts;
        this.jdbc = jdbc;
    }

    /** Calls of one customer, newest first, {@code limit} at a time from the cursor (null: from the start). */
    public CallPage list(CustomerId customer, CallFilter filter, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new BadRequestException("limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        CallCursor after = cursor == null || cursor.isBlank() ? null : CallCursor.decode(cursor);
        Where where = where(customer, filter);
        if (after != null) {
            where.sql().append(" and (c.call_time, c.id) < (:afterTime, :afterId)");
            where.params().put("afterTime", Timestamp.from(after.callTime()));
            where.params().put("afterId", after.callId());
        }
        where.params().put("limit", limit + 1);
        List<CallSummary> rows = jdbc.sql(CallRows.SELECT_CALL + where.sql() + " order by c.call_time desc, c.id desc limit :limit")
                .params(where.params()).query(CallRows::summary).list();
        if (rows.size() <= limit) {
            return new CallPage(rows, null);
        }
        List<CallSummary> page = rows.subList(0, limit);
        CallSummary last = page.getLast();
        return new CallPage(List.copyOf(page), new CallCursor(last.callTime(), last.id()).encode());
    }

    /** Number of calls of one customer matching the filter (for lazy grids). */
    public long count(CustomerId customer, CallFilter filter) {
        Where where = where(customer, filter);
        return jdbc.sql("select count(*) from usage_call c" + where.sql()).params(where.params()).query(Long.class)
                .single();
    }

    /** An offset page, newest first, for grids that scroll to any row. */
    public List<CallSummary> slice(CustomerId customer, CallFilter filter, int offset, int limit) {
        Where where = where(customer, filter);
        where.params().put("offset", offset);
        where.params().put("limit", Math.clamp(limit, 1, MAX_PAGE_SIZE));
        return jdbc.sql(CallRows.SELECT_CALL + where.sql() + " order by c.call_time desc, c.id desc offset :offset limit :limit")
                .params(where.params()).query(CallRows::summary).list();
    }

    private record Where(StringBuilder sql, Map<String, Object> params) {
    }

    private static Where where(CustomerId customer, CallFilter filter) {
        Where where = new Where(new StringBuilder(" where c.customer_id = :customerId"), new HashMap<>());
        where.params().put("customerId", customer.value());
        if (filter.from() != null) {
            where.sql().append(" and c.call_time >= :from");
            where.params().put("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.sql().append(" and c.call_time < :to");
            where.params().put("to", Timestamp.from(filter.to()));
        }
        if (blankToNull(filter.assistantId()) != null) {
            where.sql().append(" and c.assistant_id = :assistantId");
            where.params().put("assistantId", filter.assistantId());
        }
        return where;
    }

    /** One call with its components, timeline and Twilio view, if it belongs to the customer. */
    public Optional<CallDetail> find(CustomerId customer, String callId) {
        return jdbc.sql(CallRows.SELECT_CALL + " where c.id = :id and c.customer_id = :customerId")
                .param("id", callId)
                .param("customerId", customer.value())
                .query(CallRows::summary)
                .optional()
                .map(this::detail);
    }

    /** Any call, attributed or not: for finance only. */
    public Optional<CallDetail> findAny(String callId) {
        return jdbc.sql(CallRows.SELECT_CALL + " where c.id = :id")
                .param("id", callId)
                .query(CallRows::summary)
                .optional()
                .map(this::detail);
    }

    /** Start times of a customer's outbound calls to one number in {@code [from, to)}, excluding one call. */
    public List<Instant> outboundAttempts(CustomerId customer, String number, Instant from, Instant to,
            String excludingCallId) {
        return jdbc.sql("""
                select call_time from usage_call
                where customer_id = :customerId and customer_number = :number and type = 'outboundPhoneCall'
                  and call_time >= :from and call_time < :to and id <> :exclude
                order by call_time
                """)
                .param("customerId", customer.value())
                .param("number", number)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("exclude", excludingCallId)
                .query((rs, row) -> rs.getTimestamp(1).toInstant())
                .list();
    }

    /** Calls nobody owns yet, newest first. */
    public List<CallSummary> unattributed(int limit) {
        return jdbc.sql(CallRows.SELECT_CALL + " where c.customer_id is null order by c.first_seen_at desc limit :limit")
                .param("limit", Math.min(limit, MAX_PAGE_SIZE))
                .query(CallRows::summary)
                .list();
    }

    public long countUnattributed() {
        return jdbc.sql("select count(*) from usage_call where customer_id is null").query(Long.class).single();
    }

    /** Distinct assistants a customer's calls used, for filters. */
    public List<String> assistants(CustomerId customer) {
        return jdbc.sql("""
                select distinct assistant_id from usage_call
                where customer_id = :customerId and assistant_id is not null order by 1
                """)
                .param("customerId", customer.value())
                .query(String.class)
                .list();
    }

    /**
     * Components and Twilio's view for a page of calls, in three queries whatever the page size (no
     * timeline or artifact: those are for one call's detail).
     */
    public List<CallDetail> withComponents(List<CallSummary> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        List<String> ids = page.stream().map(CallSummary::id).toList();
        Map<String, List<CallDetail.Component>> components = new HashMap<>();
        jdbc.sql("""
                select c.id, u.seq, u.cost_type, u.layer, u.provider, u.model, u.unit, u.quantity, u.provider_cost
                from usage_call c cross join lateral usage_components(c.components) u
                where c.id in (:ids) order by c.id, u.seq
                """)
                .param("ids", ids)
                .query((rs, row) -> Map.entry(rs.getString(1), new CallDetail.Component(rs.getInt(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getBigDecimal(8).stripTrailingZeros(), rs.getBigDecimal(9).stripTrailingZeros())))
                .list()
                .forEach(entry -> components.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(entry.getValue()));
        Map<String, CallDetail.Twilio> twilio = new HashMap<>();
        Map<String, @Nullable String> customerNumbers = new HashMap<>();
        jdbc.sql("""
                select c.id, c.customer_number, c.twilio_call_sid, t.call_status, t.duration_seconds, t.sequence_number
                from usage_call c left join usage_twilio_call t on t.call_sid = c.twilio_call_sid
                where c.id in (:ids)
                """)
                .param("ids", ids)
                .query((rs, row) -> {
                    customerNumbers.put(rs.getString(1), rs.getString(2));
                    String callSid = rs.getString(3);
                    if (callSid != null) {
                        twilio.put(rs.getString(1), new CallDetail.Twilio(callSid, rs.getString(4),
                                (Integer) rs.getObject(5), (Integer) rs.getObject(6)));
                    }
                    return row;
                })
                .list();
        return page.stream()
                .map(call -> new CallDetail(call, customerNumbers.get(call.id()),
                        components.getOrDefault(call.id(), List.of()), List.of(), twilio.get(call.id()), null, null))
                .toList();
    }

    private CallDetail detail(CallSummary call) {
        CallDetail withComponents = withComponents(List.of(call)).getFirst();
        List<CallDetail.StatusStep> timeline = jdbc.sql("""
                select status, occurred_at, ended_reason from usage_call_status
                where call_id = :id order by occurred_at, status
                """)
                .param("id", call.id())
                .query((rs, row) -> new CallDetail.StatusStep(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getString(3)))
                .list();
        String artifact = jdbc.sql("select artifact::text from usage_call_artifact where call_id = :id")
                .param("id", call.id())
                .query(String.class)
                .optional()
                .orElse(null);
        return new CallDetail(call, withComponents.customerNumber(), withComponents.components(), timeline,
                withComponents.twilio(), artifact, artifact == null ? transcriptNote(call) : null);
    }

    /** Why a call has no transcript, when its customer's policy is the reason. */
    private @Nullable String transcriptNote(CallSummary call) {
        if (call.customerId() == null) {
            return null;
        }
        TranscriptPolicy policy = transcripts.of(call.customerId());
        return policy.keep() == TranscriptPolicy.Keep.ALWAYS ? null
                : "Transcript not kept under your transcript policy (" + policy.describe() + ").";
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
