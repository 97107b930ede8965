package com.voiceledger.ingestion;

import com.voiceledger.guard.CostGuards;
import com.voiceledger.ingestion.internal.InvalidPayloadException;
import com.voiceledger.ingestion.internal.VapiMessages;
import com.voiceledger.shared.TransientRetry;
import com.voiceledger.usage.CallIdentity;
import com.voiceledger.usage.EndOfCallReport;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one path by which a platform message enters the usage store, whether it came by webhook,
 * backfill or the demo seeder. The caller has already verified the sender. A delivery that is handled
 * without trouble (nearly all) is stored, normalised, rated, rolled up and given its outcome in one
 * transaction: one commit, one WAL flush. When that fails, nothing of it stays and the delivery takes
 * the careful path: stored raw in its own committed transaction, then normalised, then its outcome
 * recorded, so that a failed delivery is always in the webhook log for a retry.
 * See docs/decisions/0024-one-transaction-per-delivery.md.
 */
@Service
public class VapiIngest {

    private static final Logger log = LoggerFactory.getLogger(VapiIngest.class);

    private final WebhookEventLog eventLog;
    private final UsageRecorder recorder;
    private final VapiMessages messages;
    private final CostGuards guards;
    private final GroupCommit groupCommit;

    private final TransactionTemplate transactions;

    VapiIngest(WebhookEventLog eventLog, UsageRecorder recorder, VapiProperties properties, CostGuards guards,
            PlatformTransactionManager transactionManager, GroupCommit groupCommit) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.groupCommit = groupCommit;
        this.guards = guards;
        this.eventLog = eventLog;
        this.recorder = recorder;
        this.messages = new VapiMessages(properties.customerMetadataKey());
    }

    public IngestResult ingest(String source, @Nullable String contentType, Map<String, String> headers, byte[] body) {
        String text = Bodies.asText(body);
        if (groupCommit.enabled()) {
            EndOfCall endOfCall = endOfCall(body);
            if (endOfCall != null) {
                try {
                    return groupCommit.run(endOfCall.customerKey(), endOfCall.order(), endOfCall.envelope().callId(),
                            new Delivery(endOfCall, source, contentType, headers, text), this::record);
                } catch (GroupCommit.BatchFailed e) {
                    // its batch was rolled back: this delivery goes on alone, below
                }
            }
        }
        try {
            return TransientRetry.run(() -> transactions.execute(transaction -> {
                Handled handled = handle(messages.parse(body), false);
                long eventId = eventLog.storeHandled(source, contentType, headers, text, handled.status(),
                        handled.type(), handled.callId());
                return new IngestResult(eventId, handled.status(), handled.type(), handled.callId(), null,
                        handled.call());
            }));
        } catch (RuntimeException e) {
            // rolled back: the careful path stores the delivery first, so that it is kept whatever happens next
            long eventId = eventLog.store(source, contentType, headers, text);
            return process(eventId, body);
        }
    }

    /** An end-of-call report read and checked before any transaction, for group commit. */
    private record EndOfCall(VapiMessages.Envelope envelope, EndOfCallReport report, String customerKey, String order) {
    }

    /** The delivery as an end-of-call report that group commit can take; null for anything else or anything odd. */
    private @Nullable EndOfCall endOfCall(byte[] body) {
        try {
            VapiMessages.Envelope envelope = messages.parse(body);
            if (!VapiMessages.END_OF_CALL_REPORT.equals(envelope.type()) || envelope.callId() == null) {
                return null;
            }
            EndOfCallReport report = messages.endOfCallReport(envelope);
            CallIdentity call = report.call();
            // batches write in this order: the same customer's rows are locked in the same order by every batch
            String customerKey = String.valueOf(call.metadataCustomerKey());
            String order = customerKey + '/' + call.assistantId() + '/' + call.callId();
            return new EndOfCall(envelope, report, customerKey, order);
        } catch (RuntimeException e) {
            return null; // the one-delivery path stores it and says what is wrong
        }
    }

    /** An end-of-call report as it came, for group commit. */
    private record Delivery(EndOfCall endOfCall, String source, @Nullable String contentType,
            Map<String, String> headers, String text) {
    }

    /** End-of-call reports recorded, rated and logged together in the caller's (the batch's) transaction. */
    private List<IngestResult> record(List<Delivery> deliveries) {
        List<RecordOutcome> outcomes = recorder.recordEndOfCalls(
                deliveries.stream().map(delivery -> delivery.endOfCall().report()).toList());
        List<IngestResult> results = new ArrayList<>(deliveries.size());
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            WebhookEventStatus status = statusOf(outcomes.get(i));
            String callId = delivery.endOfCall().envelope().callId();
            long eventId = eventLog.storeHandled(delivery.source(), delivery.contentType(), delivery.headers(),
                    delivery.text(), status, VapiMessages.END_OF_CALL_REPORT, callId);
            // the identity the report was read with on the request thread: reading it again cost the writer ~3 %
            results.add(new IngestResult(eventId, status, VapiMessages.END_OF_CALL_REPORT, callId, null,
                    delivery.endOfCall().report().call()));
        }
        return results;
    }

    /** Normalises a stored delivery and records the outcome; also how finance retries a failed one. */
    IngestResult process(long eventId, byte[] body) {
        String type = null;
        String callId = null;
        try {
            VapiMessages.Envelope envelope = messages.parse(body);
            type = envelope.type();
            callId = envelope.callId();
            Handled handled = handle(envelope, true);
            eventLog.recordOutcome(eventId, handled.status(), type, callId, null);
            return new IngestResult(eventId, handled.status(), type, callId, null, handled.call());
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

    /** What a message did to the usage store. */
    private record Handled(WebhookEventStatus status, String type, @Nullable String callId, @Nullable CallIdentity call) {
    }

    /**
     * Records one parsed message. {@code ownTransactions}: each recording is its own transaction, retried
     * on a deadlock (the careful path); otherwise it joins the caller's, which retries as a whole.
     */
    private Handled handle(VapiMessages.Envelope envelope, boolean ownTransactions) {
        String type = envelope.type();
        String callId = envelope.callId();
        WebhookEventStatus status = switch (type) {
            case VapiMessages.END_OF_CALL_REPORT -> {
                var report = messages.endOfCallReport(envelope);
                yield statusOf(ownTransactions ? TransientRetry.run(() -> recorder.recordEndOfCall(report))
                        : recorder.recordEndOfCall(report));
            }
            case VapiMessages.STATUS_UPDATE -> {
                var update = messages.statusUpdate(envelope);
                yield statusOf(ownTransactions ? TransientRetry.run(() -> recorder.recordStatus(update))
                        : recorder.recordStatus(update));
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
        return new Handled(status, type, callId, callId == null ? null : messages.identity(envelope));
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
