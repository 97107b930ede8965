package com.voiceledger.usage.internal;

import com.voiceledger.database.DeferredWrites;
import com.voiceledger.database.DeferredWrites.Shape;
import com.voiceledger.database.JsonbValues;
import com.voiceledger.database.MultiRowInsert;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.CallIdentity;
import com.voiceledger.usage.CallStatus;
import com.voiceledger.usage.CallStatusUpdate;
import com.voiceledger.usage.EndOfCallReport;
import com.voiceledger.usage.TwilioCallStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The ingest write path in plain SQL: upserts whose conflict clauses carry the idempotency and
 * ordering rules, so that two deliveries racing each other still end in one state.
 */
@Repository
public class CallWriter {

    private static final Shape STATUS = Shape.of(
            "insert into usage_call_status (call_id, status, occurred_at, ended_reason)", "(?, ?, ?, ?)",
            "on conflict do nothing");
    private static final Shape ARTIFACT = Shape.of("insert into usage_call_artifact (call_id, artifact, analysis)",
            "(?, cast(? as jsonb), cast(? as jsonb))", "on conflict do nothing");

    private final JdbcClient jdbc;
    private final DeferredWrites deferred;

    CallWriter(JdbcClient jdbc, DeferredWrites deferred) {
        this.jdbc = jdbc;
        this.deferred = deferred;
    }

    /** What the first recording of a report left on the call: its owner (if any) and its time. */
    public record Reported(@Nullable CustomerId owner, Instant callTime) {
    }

    /** A report to record with the owner its hints resolve to. */
    public record ReportToRecord(EndOfCallReport report, @Nullable CustomerId owner) {
    }

    /**
     * Inserts or completes the calls of several end-of-call reports in one statement (their call ids must be
     * distinct), each with its components as an array on its row (decision 0060); what the first recording of
     * each left on its call, by call id. A call missing from the answer had its report recorded already.
     */
    public Map<String, Reported> upsertReportedCalls(List<ReportToRecord> reports, Instant now) {
        MultiRowInsert upsert = new MultiRowInsert("""
                insert into usage_call (id, customer_id, attribution_key, org_id, type, assistant_id, phone_number_id,
                    squad_id, customer_number, twilio_call_sid, status, status_rank, call_time, created_at, started_at,
                    ended_at, duration_seconds, ended_reason, provider_cost, components, reported, first_seen_at,
                    reported_at)""",
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), true, ?, ?)", """
                on conflict (id) do update set
                    customer_id = coalesce(usage_call.customer_id, excluded.customer_id),
                    attribution_key = coalesce(excluded.attribution_key, usage_call.attribution_key),
                    org_id = coalesce(excluded.org_id, usage_call.org_id),
                    type = coalesce(excluded.type, usage_call.type),
                    assistant_id = coalesce(excluded.assistant_id, usage_call.assistant_id),
                    phone_number_id = coalesce(excluded.phone_number_id, usage_call.phone_number_id),
                    squad_id = coalesce(excluded.squad_id, usage_call.squad_id),
                    customer_number = coalesce(excluded.customer_number, usage_call.customer_number),
                    twilio_call_sid = coalesce(excluded.twilio_call_sid, usage_call.twilio_call_sid),
                    status = excluded.status,
                    status_rank = excluded.status_rank,
                    call_time = excluded.call_time,
                    created_at = coalesce(excluded.created_at, usage_call.created_at),
                    started_at = excluded.started_at,
                    ended_at = excluded.ended_at,
                    duration_seconds = excluded.duration_seconds,
                    ended_reason = coalesce(excluded.ended_reason, usage_call.ended_reason),
                    provider_cost = excluded.provider_cost,
                    components = excluded.components,
                    reported = true,
                    reported_at = excluded.reported_at
                where not usage_call.reported
                returning id, customer_id, call_time""");
        Timestamp at = ts(now);
        for (ReportToRecord toRecord : reports) {
            EndOfCallReport report = toRecord.report();
            CallIdentity call = report.call();
            upsert.row(call.callId(), toRecord.owner() == null ? null : toRecord.owner().value(),
                    call.metadataCustomerKey(), call.orgId(), call.type(), call.assistantId(), call.phoneNumberId(),
                    call.squadId(), call.customerNumber(), call.twilioCallSid(), CallStatus.ENDED,
                    CallStatus.rank(CallStatus.ENDED), ts(firstNonNull(report.startedAt(), call.createdAt(), now)),
                    ts(call.createdAt()), ts(report.startedAt()), ts(report.endedAt()), report.durationSeconds(),
                    report.endedReason(), report.providerCost(), JsonbValues.array(report.components()), at, at);
        }
        Map<String, Reported> reported = new HashMap<>();
        upsert.query(jdbc, (rs, row) -> {
            long customer = rs.getLong(2);
            CustomerId owner = rs.wasNull() ? null : CustomerId.of(customer); // before the next column is read
            return Map.entry(rs.getString(1), new Reported(owner, rs.getTimestamp(3).toInstant()));
        }).forEach(entry -> reported.put(entry.getKey(), entry.getValue()));
        return reported;
    }

    /** Creates the call if this status is the first word of it; moves its status only forwards. */
    public void upsertCallFromStatus(CallStatusUpdate update, @Nullable CustomerId owner, Instant now) {
        CallIdentity call = update.call();
        jdbc.sql("""
                insert into usage_call (id, customer_id, attribution_key, org_id, type, assistant_id, phone_number_id,
                    squad_id, customer_number, twilio_call_sid, status, status_rank, call_time, created_at,
                    ended_reason, first_seen_at)
                values (:id, :customerId, :key, :orgId, :type, :assistantId, :phoneNumberId, :squadId, :customerNumber,
                    :callSid, :status, :rank, :callTime, :createdAt, :endedReason, :now)
                on conflict (id) do update set
                    customer_id = coalesce(usage_call.customer_id, excluded.customer_id),
                    attribution_key = coalesce(usage_call.attribution_key, excluded.attribution_key),
                    org_id = coalesce(usage_call.org_id, excluded.org_id),
                    type = coalesce(usage_call.type, excluded.type),
                    assistant_id = coalesce(usage_call.assistant_id, excluded.assistant_id),
                    phone_number_id = coalesce(usage_call.phone_number_id, excluded.phone_number_id),
                    squad_id = coalesce(usage_call.squad_id, excluded.squad_id),
                    customer_number = coalesce(usage_call.customer_number, excluded.customer_number),
                    twilio_call_sid = coalesce(usage_call.twilio_call_sid, excluded.twilio_call_sid),
                    created_at = coalesce(usage_call.created_at, excluded.created_at),
                    ended_reason = coalesce(usage_call.ended_reason, excluded.ended_reason),
                    status = case when excluded.status_rank > usage_call.status_rank
                        then excluded.status else usage_call.status end,
                    status_rank = greatest(usage_call.status_rank, excluded.status_rank)
                """)
                .params(identity(call, owner))
                .param("status", update.status())
                .param("rank", CallStatus.rank(update.status()))
                .param("callTime", ts(firstNonNull(call.createdAt(), update.occurredAt(), now)))
                .param("createdAt", ts(call.createdAt()))
                .param("endedReason", update.endedReason())
                .param("now", ts(now))
                .update();
    }

    /** Adds the step that ends the call to its timeline, with the batch's other rows (a repeat changes nothing). */
    public void addEndedStatus(String callId, String status, Instant occurredAt, @Nullable String endedReason) {
        deferred.add(STATUS, callId, status, ts(occurredAt), endedReason);
    }

    /** Adds a step to the call's timeline; false when that exact step was already there. */
    public boolean insertStatus(String callId, String status, Instant occurredAt, @Nullable String endedReason) {
        return jdbc.sql("""
                insert into usage_call_status (call_id, status, occurred_at, ended_reason)
                values (:callId, :status, :occurredAt, :endedReason)
                on conflict do nothing
                """)
                .param("callId", callId)
                .param("status", status)
                .param("occurredAt", ts(occurredAt))
                .param("endedReason", endedReason)
                .update() == 1;
    }

    public void insertArtifact(String callId, @Nullable String artifactJson, @Nullable String analysisJson) {
        deferred.add(ARTIFACT, callId, artifactJson == null ? "{}" : artifactJson, analysisJson);
    }

    /** Keeps the callback with the highest SequenceNumber; false when this one changed nothing. */
    public boolean upsertTwilioStatus(TwilioCallStatus status, Instant now) {
        return jdbc.sql("""
                insert into usage_twilio_call (call_sid, account_sid, call_status, direction, from_number, to_number,
                    duration_seconds, sequence_number, occurred_at, updated_at)
                values (:callSid, :accountSid, :callStatus, :direction, :from, :to, :duration, :sequence, :occurredAt, :now)
                on conflict (call_sid) do update set
                    account_sid = coalesce(excluded.account_sid, usage_twilio_call.account_sid),
                    call_status = excluded.call_status,
                    direction = coalesce(excluded.direction, usage_twilio_call.direction),
                    from_number = coalesce(excluded.from_number, usage_twilio_call.from_number),
                    to_number = coalesce(excluded.to_number, usage_twilio_call.to_number),
                    duration_seconds = coalesce(excluded.duration_seconds, usage_twilio_call.duration_seconds),
                    sequence_number = excluded.sequence_number,
                    occurred_at = coalesce(excluded.occurred_at, usage_twilio_call.occurred_at),
                    updated_at = excluded.updated_at
                where excluded.sequence_number > usage_twilio_call.sequence_number
                """)
                .param("callSid", status.callSid())
                .param("accountSid", status.accountSid())
                .param("callStatus", status.callStatus())
                .param("direction", status.direction())
                .param("from", status.from())
                .param("to", status.to())
                .param("duration", status.durationSeconds())
                .param("sequence", status.sequenceNumber())
                .param("occurredAt", ts(status.occurredAt()))
                .param("now", ts(now))
                .update() == 1;
    }

    /** The parameters both upserts take from the call's identity. */
    private static Map<String, @Nullable Object> identity(CallIdentity call, @Nullable CustomerId owner) {
        Map<String, @Nullable Object> params = new HashMap<>();
        params.put("id", call.callId());
        params.put("customerId", owner == null ? null : owner.value());
        params.put("key", call.metadataCustomerKey());
        params.put("orgId", call.orgId());
        params.put("type", call.type());
        params.put("assistantId", call.assistantId());
        params.put("phoneNumberId", call.phoneNumberId());
        params.put("squadId", call.squadId());
        params.put("customerNumber", call.customerNumber());
        params.put("callSid", call.twilioCallSid());
        return params;
    }

    private static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    @SafeVarargs
    private static <T> T firstNonNull(@Nullable T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("all candidates null");
    }
}
