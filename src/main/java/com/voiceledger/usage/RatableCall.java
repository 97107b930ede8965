package com.voiceledger.usage;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A reported, attributed call with what rating needs: its owner, time, duration and components. */
public record RatableCall(String callId, CustomerId customerId, Instant callTime, int durationSeconds,
        List<UsageComponent> components, @Nullable String assistantId) {
}
