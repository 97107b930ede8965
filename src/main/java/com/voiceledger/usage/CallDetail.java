package com.voiceledger.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A call with everything known about it: components, status timeline, Twilio's view, artifact.
 * {@code transcriptNote} says why there is no artifact when the customer's transcript policy did not keep
 * it (docs/decisions/0054), else null.
 */
public record CallDetail(CallSummary call, @Nullable String customerNumber, List<Component> components,
        List<StatusStep> timeline, @Nullable Twilio twilio, @Nullable String artifactJson,
        @Nullable String transcriptNote) {

    /** A stored component; rating adds its price in a later release. */
    public record Component(int seq, String costType, String layer, String provider, String model, String unit,
            BigDecimal quantity, BigDecimal providerCost) {
    }

    public record StatusStep(String status, Instant occurredAt, @Nullable String endedReason) {
    }

    public record Twilio(String callSid, @Nullable String status, @Nullable Integer durationSeconds,
            @Nullable Integer sequenceNumber) {
    }
}
