package com.voiceledger.usage;

import com.voiceledger.customer.CallOwnerHints;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.internal.CallWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
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

    UsageRecorder(CallWriter writer, CustomerService customers, Clock clock, ApplicationEventPublisher events,
            TranscriptPolicies transcripts) {
        this.writer = writer;
        this.transcripts = transcripts;
        this.events = events;
        this.customers = customers;
        this.clock = clock;
    }

    @Transactional
    public RecordOutcome recordEndOfCall(EndOfCallReport report) {
        Instant now = clock.instant();
        CustomerId owner = ownerOf(report.call());
        Optional<CallWriter.Reported> reported = writer.upsertReportedCall(report, owner, now);
        if (reported.isEmpty()) {
            return RecordOutcome.DUPLICATE;
        }
        writer.insertComponents(report.call().callId(), reported.get().owner(), report.components());
        writer.insertStatus(report.call().callId(), CallStatus.ENDED,
                report.endedAt() != null ? report.endedAt() : now, report.endedReason());
        CustomerId storedOwner = reported.get().owner();
        // a customer who keeps no transcripts never has one stored; the guards read it from the report in memory
        // (an unattributed call's is kept until the retention job knows its customer: docs/decisions/0054)
        if ((report.artifactJson() != null || report.analysisJson() != null)
                && (storedOwner == null || transcripts.of(storedOwner).stores())) {
            writer.insertArtifact(report.call().callId(), report.artifactJson(), report.analysisJson());
        }
        CustomerId finalOwner = reported.get().owner();
        if (finalOwner != null) {
            // Rating listens in this transaction: a stored report is a rated report.
            events.publishEvent(new CallReported(report.call().callId(), finalOwner, reported.get().callTime(),
                    report.durationSeconds(), report.components(), report.call(), report.endedReason(),
                    report.artifactJson()));
        }
        return RecordOutcome.RECORDED;
    }

    @Transactional
    public RecordOutcome recordStatus(CallStatusUpdate update) {
        writer.upsertCallFromStatus(update, ownerOf(update.call()), clock.instant());
        return writer.insertStatus(update.call().callId(), update.status(), update.occurredAt(), update.endedReason())
                ? RecordOutcome.RECORDED
                : RecordOutcome.DUPLICATE;
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
