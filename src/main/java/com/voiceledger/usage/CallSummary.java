package com.voiceledger.usage;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One row of a calls list. {@code customerId} is null while the call is unattributed. */
public record CallSummary(String id, @Nullable CustomerId customerId, @Nullable String type, String status,
        Instant callTime, @Nullable Instant startedAt, @Nullable Instant endedAt, int durationSeconds,
        @Nullable String endedReason, @Nullable String assistantId, @Nullable String phoneNumberId,
        @Nullable String orgId, @Nullable String attributionKey, @Nullable BigDecimal providerCost, String currency,
        boolean reported) {
}
