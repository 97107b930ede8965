package com.voiceledger.spendcap;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** The answer to "may this call start?". {@code reason} says why not (or that no cap applies). */
public record Admission(boolean allowed, String reason, @Nullable BigDecimal remaining,
        @Nullable String customerId, @Nullable String assistantId) {
}
