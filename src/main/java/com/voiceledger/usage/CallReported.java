package com.voiceledger.usage;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An attributed call's end-of-call report was recorded for the first time. Published inside the
 * recording transaction, so that listeners (rating) commit with it or not at all.
 */
public record CallReported(String callId, CustomerId customerId, Instant callTime, int durationSeconds,
        List<UsageComponent> components, CallIdentity call, @Nullable String endedReason,
        @Nullable String artifactJson, @Nullable CallLatency latency) {

    public CallReported(String callId, CustomerId customerId, Instant callTime, int durationSeconds,
            List<UsageComponent> components, CallIdentity call, @Nullable String endedReason,
            @Nullable String artifactJson) {
        this(callId, customerId, callTime, durationSeconds, components, call, endedReason, artifactJson, null);
    }
}
