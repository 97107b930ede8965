package com.voiceledger.usage;

import com.voiceledger.customer.CallOwnerHints;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.database.DeferredWrites;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.internal.CallWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes normalised messages into the usage store. Every method is idempotent and independent of
 * arrival order: keys in the schema make a redelivery change nothing, and a status never regresses.
 * Each call runs in one transaction of a few inserts, with no read-modify-write of a per-customer row.
 */
@Service
public class UsageRecorder {

    private final CallWriter writer;
    private final CustomerService customers;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final TranscriptPolicies transcripts;
    private final DeferredWrites deferred;

    UsageRecorder(CallWriter writer, CustomerService customers, Clock clock, ApplicationEventPublisher events,
            TranscriptPolicies transcripts, DeferredWrites deferred) {
        this.writer = writer;
        this.transcripts = transcripts;
        this.deferred = deferred;
        this.events = events;
        this.customers = customers;
        this.clock = clock;
    }

    /**
     * Records, and (through the listeners) rates and rolls up, a report; the rows other than the call's own
     * are written together with the rest of the batch's, or at the end of this method (decision 0048).
     */
    @Transactional
    public RecordOutcome recordEndOfCall(EndOfCallReport report) {
        return recordEndOfCalls(List.of(report)).getFirst();
    }

    /**
     * Records several reports together: their calls in one statement, the rest of their rows with the
     * batch's (decision 0048). A report whose call was reported before, or earlier in the same list, is a
     * duplicate. Outcomes in the order of the reports.
     */
    @Transactional
    public List<RecordOutcome> recordEndOfCalls(List<EndOfCallReport> reports) {
        return deferred.batched(() -> {
            Instant now = clock.instant();
            Map<String, CallWriter.ReportToRecord> firsts = new LinkedHashMap<>();
            for (EndOfCallReport report : reports) {
                firsts.putIfAbsent(report.call().callId(), new CallWriter.ReportToRecord(report, ownerOf(report.call())));
            }
            Map<String, CallWriter.Reported> reported = writer.upsertReportedCalls(List.copyOf(firsts.values()), now);
            Map<CustomerId, Set<String>> calls = new HashMap<>();
            reported.forEach((callId, call) -> {
                if (call.owner() != null) {
                    calls.computeIfAbsent(call.owner(), owner -> new HashSet<>()).add(callId);
                }
            });
            if (!calls.isEmpty()) {
                events.publishEvent(new CallsReportedTogether(Set.copyOf(calls.keySet()), calls));
            }
            List<RecordOutcome> outcomes = new ArrayList<>(reports.size());
            for (EndOfCallReport report : reports) {
                CallWriter.Reported first = reported.remove(report.call().callId());
                outcomes.add(first == null ? RecordOutcome.DUPLICATE : record(report, first, now));
            }
            return outcomes;
        });
    }

    private RecordOutcome record(EndOfCallReport report, CallWriter.Reported reported, Instant now) {
        writer.addEndedStatus(report.call().callId(), CallStatus.ENDED,
                report.endedAt() != null ? report.endedAt() : now, report.endedReason());
        CustomerId storedOwner = reported.owner();
        // a customer who keeps no transcripts never has one stored; the guards read it from the report in memory
        // (an unattributed call's is kept until the retention job knows its customer: docs/decisions/0054)
        if ((report.artifactJson() != null || report.analysisJson() != null)
                && (storedOwner == null || transcripts.of(storedOwner).stores())) {
            writer.insertArtifact(report.call().callId(), report.artifactJson(), report.analysisJson());
        }
        CustomerId finalOwner = reported.owner();
        if (finalOwner != null) {
            // Rating listens in this transaction: a stored report is a rated report.
            events.publishEvent(new CallReported(report.call().callId(), finalOwner, reported.callTime(),
                    report.durationSeconds(), report.components(), report.call(), report.endedReason(),
                    report.artifactJson(), report.latency()));
        }
        return RecordOutcome.RECORDED;
    }

    @Transactional
    public RecordOutcome recordStatus(CallStatusUpdate update) {
        writer.upsertCallFromStatus(update, ownerOf(update.call()), clock.instant());
        boolean recorded = writer.insertStatus(update.call().callId(), update.status(), update.occurredAt(),
                update.endedReason());
        if (recorded && "ended".equals(update.status())) {
            events.publishEvent(new CallEnded(update.call().callId(), update.occurredAt()));
        }
        return recorded ? RecordOutcome.RECORDED : RecordOutcome.DUPLICATE;
    }

    @Transactional
    public RecordOutcome recordTwilioStatus(TwilioCallStatus status) {
        return writer.upsertTwilioStatus(status, clock.instant()) ? RecordOutcome.RECORDED : RecordOutcome.DUPLICATE;
    }

    private @Nullable CustomerId ownerOf(CallIdentity call) {
        return customers.resolveOwner(new CallOwnerHints(call.metadataCustomerKey(), call.assistantId(),
                call.phoneNumberId(), call.orgId())).orElse(null);
    }
}
