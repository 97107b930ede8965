package com.voiceledger.ingestion;

import com.voiceledger.guard.CostGuards;
import com.voiceledger.ingestion.internal.InvalidPayloadException;
import com.voiceledger.ingestion.internal.VapiMessages;
import com.voiceledger.shared.TransientRetry;
import com.voiceledger.usage.CallIdentity;
import com.voiceledger.usage.RecordOutcome;
import com.voiceledger.usage.UsageRecorder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The one path by which a platform message enters the usage store, whether it came by webhook,
 * backfill or the demo seeder: store the raw delivery (committed), then normalise it and record the
 * outcome. The caller has already verified the sender.
 */
@Service
public class VapiIngest {

    private static final Logger log = LoggerFactory.getLogger(VapiIngest.class);

    private final WebhookEventLog eventLog;
    private final UsageRecorder recorder;
    private final VapiMessages messages;
    private final CostGuards guards;

    VapiIngest(WebhookEventLog eventLog, UsageRecorder recorder, VapiProperties properties, CostGuards guards) {
        this.guards = guards;
        this.eventLog = eventLog;
        this.recorder = recorder;
        this.messages = new VapiMessages(properties.customerMetadataKey());
    }

    public IngestResult ingest(String source, @Nullable String contentType, Map<String, String> headers, byte[] body) {
        long eventId = eventLog.store(source, contentType, headers, Bodies.asText(body));
        return process(eventId, body);
    }

    /** Normalises a stored delivery and records the outcome; also how finance retries a failed one. */
    IngestResult process(long eventId, byte[] body) {
        String type = null;
        String callId = null;
        try {
            VapiMessages.Envelope envelope = messages.parse(body);
            type = envelope.type();
            callId = envelope.callId();
            WebhookEventStatus status = switch (type) {
                case VapiMessages.END_OF_CALL_REPORT -> {
                    var report = messages.endOfCallReport(envelope);
                    yield statusOf(TransientRetry.run(() -> recorder.recordEndOfCall(report)));
                }
                case VapiMessages.STATUS_UPDATE -> {
                    var update = messages.statusUpdate(envelope);
                    yield statusOf(TransientRetry.run(() -> recorder.recordStatus(update)));
                }
                case VapiMessages.TOOL_CALLS -> {
                    if (callId == null) {
                        yield WebhookEventStatus.IGNORED;
                    }
                    List<String> ids = new ArrayList<>();
                    envelope.message().path("toolCallList").forEach(call -> ids.add(call.path("id").asString("")));
                    guards.toolCallsDelivered(messages.identity(envelope), ids.stream().filter(id -> !id.isBlank()).toList());
                    yield WebhookEventStatus.PROCESSED;
                }
                default -> WebhookEventStatus.IGNORED;
            };
            eventLog.recordOutcome(eventId, status, type, callId, null);
            CallIdentity call = callId == null ? null : messages.identity(envelope);
            return new IngestResult(eventId, status, type, callId, null, call);
        } catch (InvalidPayloadException e) {
            eventLog.recordOutcome(eventId, WebhookEventStatus.FAILED, type, callId, e.getMessage());
            return new IngestResult(eventId, WebhookEventStatus.FAILED, type, callId, e.getMessage());
        } catch (RuntimeException e) {
            // Not the sender's fault: the raw event stays RECEIVED-then-FAILED for a retry, and the caller gets a 5xx.
            log.error("Webhook event {} could not be processed", eventId, e);
            eventLog.recordOutcome(eventId, WebhookEventStatus.FAILED, type, callId, "internal error: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    private static WebhookEventStatus statusOf(RecordOutcome outcome) {
        return outcome == RecordOutcome.RECORDED ? WebhookEventStatus.PROCESSED : WebhookEventStatus.DUPLICATE;
    }

    /** Text form of a body for the log; PostgreSQL text cannot hold NUL, so those become U+FFFD. */
    static final class Bodies {

        private Bodies() {
        }

        static String asText(byte[] body) {
            return new String(body, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
        }
    }
}
