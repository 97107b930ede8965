package com.voiceledger.ingestion.internal;

import com.voiceledger.usage.CallIdentity;
import com.voiceledger.usage.CallLatency;
import com.voiceledger.usage.CallStatusUpdate;
import com.voiceledger.usage.EndOfCallReport;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the voice platform's server messages ({@code {"message": {"type": ..., "call": {...}}}}) and
 * normalises the ones that carry usage. Liberal in what it accepts (unknown fields and types), strict
 * in what it trusts: numbers are read as decimals, never through double.
 */
public final class VapiMessages {

    public static final String END_OF_CALL_REPORT = "end-of-call-report";
    public static final String STATUS_UPDATE = "status-update";
    public static final String TOOL_CALLS = "tool-calls";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** A call id is the platform's uuid; anything much longer is not an id (and would not fit an index). */
    static final int MAX_ID_LENGTH = 255;

    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");
    private static final Duration LONGEST_CALL = Duration.ofDays(7);

    private final String customerMetadataKey;

    public VapiMessages(String customerMetadataKey) {
        this.customerMetadataKey = customerMetadataKey;
    }

    /** A parsed envelope: the message type, the call id if any, and the message itself. */
    public record Envelope(String type, @Nullable String callId, JsonNode message, @Nullable String badCallId) {

        public Envelope(String type, @Nullable String callId, JsonNode message) {
            this(type, callId, message, null);
        }
    }

    public Envelope parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidPayloadException("body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPayloadException("body must be a JSON object with a 'message' object");
        }
        JsonNode message = root.path("message");
        if (!message.isObject()) {
            throw new InvalidPayloadException("missing 'message' object");
        }
        JsonNode type = message.path("type");
        if (!type.isString() || type.asString().isBlank()) {
            throw new InvalidPayloadException("missing 'message.type'");
        }
        JsonNode id = message.path("call").path("id");
        String badCallId = callIdProblem(id);
        return new Envelope(type.asString(), badCallId == null ? textOrNull(message.path("call"), "id") : null, message,
                badCallId);
    }

    /** Why {@code call.id} is not a usable id, or null when it is one (or absent). */
    private static @Nullable String callIdProblem(JsonNode id) {
        if (id.isMissingNode() || id.isNull()) {
            return null;
        }
        if (!id.isString()) {
            return "'message.call.id' must be a string, got " + id.getNodeType().name().toLowerCase();
        }
        String text = id.asString();
        if (text.length() > MAX_ID_LENGTH) {
            return "'message.call.id' is longer than " + MAX_ID_LENGTH + " characters";
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            return "'message.call.id' contains control characters";
        }
        return null;
    }

    /** Wraps a call object of the platform's API (backfill) as the report the webhook would have sent. */
    public static byte[] endOfCallReportFor(JsonNode call) {
        var message = JSON.createObjectNode();
        message.put("type", END_OF_CALL_REPORT);
        message.set("call", call);
        for (String field : new String[] {"startedAt", "endedAt", "endedReason", "cost", "costBreakdown", "costs",
                "artifact", "analysis"}) {
            if (call.has(field)) {
                message.set(field, call.get(field));
            }
        }
        var root = JSON.createObjectNode();
        root.set("message", message);
        return JSON.writeValueAsBytes(root);
    }

    public static JsonMapper json() {
        return JSON;
    }

    public EndOfCallReport endOfCallReport(Envelope envelope) {
        JsonNode message = envelope.message();
        CallIdentity call = identity(envelope);
        JsonNode costNode = message.path("cost");
        BigDecimal cost = costNode.isMissingNode() || costNode.isNull() ? null : VapiCostMapper.decimal(message, "cost");
        JsonNode costs = message.path("costs");
        if (!costs.isMissingNode() && !costs.isNull() && !costs.isArray()) {
            throw new InvalidPayloadException("'message.costs' must be an array, got "
                    + costs.getNodeType().name().toLowerCase());
        }
        JsonNode artifact = message.path("artifact");
        JsonNode analysis = message.path("analysis");
        Instant startedAt = instant(message, "startedAt");
        Instant endedAt = instant(message, "endedAt");
        if (startedAt != null && endedAt != null && Duration.between(startedAt, endedAt).compareTo(LONGEST_CALL) > 0) {
            throw new InvalidPayloadException("endedAt is more than " + LONGEST_CALL.toDays() + " days after startedAt");
        }
        List<UsageComponent> components = VapiCostMapper.components(costs);
        return new EndOfCallReport(call, startedAt, endedAt,
                textOrNull(message, "endedReason"), providerCost(cost, costs, components), components,
                artifact.isObject() ? JSON.writeValueAsString(artifact) : null,
                analysis.isObject() ? JSON.writeValueAsString(analysis) : null, latency(artifact));
    }

    /** The SDK's names of each layer's per-turn latency ({@code TurnLatency}) and call average ({@code PerformanceMetrics}). */
    private static final java.util.Map<String, String> TURN_FIELDS = java.util.Map.of(
            CallLatency.ENDPOINTING, "endpointingLatency", CallLatency.TRANSCRIBER, "transcriberLatency",
            CallLatency.MODEL, "modelLatency", CallLatency.VOICE, "voiceLatency", CallLatency.TURN, "turnLatency");
    /** A latency above this is not a measurement (a call lasts at most a week; a turn far less). */
    private static final BigDecimal MOST_MS = BigDecimal.valueOf(3_600_000);

    /**
     * The performance metrics of a report, {@code artifact.performanceMetrics} as the platform's server SDKs
     * name them ({@code turnLatencies[]} of {@code modelLatency, voiceLatency, transcriberLatency,
     * endpointingLatency, turnLatency}, and {@code modelLatencyAverage} … {@code turnLatencyAverage}; decision
     * 0075). Tolerant: any field may be missing, null or not a plausible number of ms, and is then left out;
     * null when nothing is left. Latency never fails a report: the report carries money, latency does not.
     */
    static @Nullable CallLatency latency(JsonNode artifact) {
        JsonNode metrics = artifact.path("performanceMetrics");
        if (!metrics.isObject()) {
            return null;
        }
        List<CallLatency.Turn> turns = new java.util.ArrayList<>();
        JsonNode turnLatencies = metrics.path("turnLatencies");
        if (turnLatencies.isArray()) {
            for (JsonNode turn : turnLatencies) {
                if (!turn.isObject()) {
                    continue;
                }
                CallLatency.Turn read = new CallLatency.Turn(ms(turn, TURN_FIELDS.get(CallLatency.ENDPOINTING)),
                        ms(turn, TURN_FIELDS.get(CallLatency.TRANSCRIBER)), ms(turn, TURN_FIELDS.get(CallLatency.MODEL)),
                        ms(turn, TURN_FIELDS.get(CallLatency.VOICE)), ms(turn, TURN_FIELDS.get(CallLatency.TURN)));
                if (CallLatency.LAYERS.stream().anyMatch(layer -> read.of(layer) != null)) {
                    turns.add(read);
                }
            }
        }
        java.util.Map<String, Integer> averages = new java.util.HashMap<>();
        for (String layer : CallLatency.LAYERS) {
            Integer average = ms(metrics, TURN_FIELDS.get(layer) + "Average");
            if (average != null) {
                averages.put(layer, average);
            }
        }
        CallLatency latency = CallLatency.of(turns, averages);
        return latency.isEmpty() ? null : latency;
    }

    /** A latency in whole ms (rounded half up), or null when absent or not a plausible number. */
    private static @Nullable Integer ms(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isNumber()) {
            return null;
        }
        BigDecimal ms = value.decimalValue();
        if (ms.signum() < 0 || ms.compareTo(MOST_MS) > 0) {
            return null;
        }
        return ms.setScale(0, java.math.RoundingMode.HALF_UP).intValueExact();
    }

    /**
     * The call's provider cost is the sum of its cost items, so that it always equals what its components
     * carry (docs/decisions/0042-every-cost-item-kept.md); the report's own total stands only where it
     * itemises nothing.
     */
    static @Nullable BigDecimal providerCost(@Nullable BigDecimal reported, JsonNode costs,
            List<UsageComponent> components) {
        if (!costs.isArray() || costs.isEmpty()) {
            return reported;
        }
        return components.stream().map(UsageComponent::providerCost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public CallStatusUpdate statusUpdate(Envelope envelope) {
        JsonNode message = envelope.message();
        String status = textOrNull(message, "status");
        if (status == null) {
            throw new InvalidPayloadException("status-update without 'message.status'");
        }
        JsonNode timestamp = message.path("timestamp");
        Instant occurredAt = timestamp.isNumber() ? plausible("timestamp", Instant.ofEpochMilli(timestamp.longValue()))
                : instant(message.path("call"), "updatedAt");
        if (occurredAt == null) {
            throw new InvalidPayloadException("status-update without 'message.timestamp'");
        }
        return new CallStatusUpdate(identity(envelope), status, occurredAt, textOrNull(message, "endedReason"));
    }

    /** The call a message is about, as far as it says. */
    public CallIdentity identity(Envelope envelope) {
        JsonNode call = envelope.message().path("call");
        if (envelope.badCallId() != null) {
            throw new InvalidPayloadException(envelope.badCallId());
        }
        if (envelope.callId() == null) {
            throw new InvalidPayloadException(envelope.type() + " without 'message.call.id'");
        }
        String callSid = textOrNull(call.path("transport"), "callSid");
        if (callSid == null && "twilio".equals(textOrNull(call, "phoneCallProvider"))) {
            callSid = textOrNull(call, "phoneCallProviderId");
        }
        return new CallIdentity(envelope.callId(), textOrNull(call, "orgId"), textOrNull(call, "type"),
                textOrNull(call, "assistantId"), textOrNull(call, "phoneNumberId"), textOrNull(call, "squadId"),
                textOrNull(call.path("customer"), "number"), callSid, customerKey(call), instant(call, "createdAt"),
                name(envelope.message(), call, "assistant"), name(envelope.message(), call, "phoneNumber"));
    }

    /**
     * The name the payload gives an assistant or phone number: {@code message.<field>.name}, else
     * {@code message.call.<field>.name}; at most 200 characters (the rest is not a name).
     */
    private static @Nullable String name(JsonNode message, JsonNode call, String field) {
        String name = textOrNull(message.path(field), "name");
        if (name == null) {
            name = textOrNull(call.path(field), "name");
        }
        return name == null ? null : name.length() > 200 ? name.substring(0, 200) : name;
    }

    /** The customer key from call metadata: assistantOverrides.metadata first, then assistant.metadata. */
    private @Nullable String customerKey(JsonNode call) {
        String fromOverrides = textOrNull(call.path("assistantOverrides").path("metadata"), customerMetadataKey);
        return fromOverrides != null ? fromOverrides
                : textOrNull(call.path("assistant").path("metadata"), customerMetadataKey);
    }

    private static @Nullable Instant instant(JsonNode node, String field) {
        JsonNode raw = node.path(field);
        if (!raw.isMissingNode() && !raw.isNull() && !raw.isString()) {
            throw new InvalidPayloadException(field + " must be an ISO-8601 instant string, got "
                    + raw.getNodeType().name().toLowerCase());
        }
        String value = textOrNull(node, field);
        if (value == null) {
            return null;
        }
        try {
            return plausible(field, Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException(field + " is not an ISO-8601 instant: '" + value + "'");
        }
    }

    /** Instants far outside the platform's life are typos or attacks, not calls. */
    private static Instant plausible(String field, Instant instant) {
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidPayloadException(field + " is outside 2000-2199: " + instant);
        }
        return instant;
    }

    private static @Nullable String textOrNull(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isString()) {
            // PostgreSQL text cannot hold NUL: a sender's value that has one is kept with U+FFFD instead
            String text = value.asString().strip().replace('\u0000', '\uFFFD');
            return text.isEmpty() ? null : text;
        }
        return value.isNumber() ? value.asString() : null;
    }
}
