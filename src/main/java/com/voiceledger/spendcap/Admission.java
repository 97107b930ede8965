package com.voiceledger.spendcap;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The answer to "may this call start?". {@code reason} says why not (a code where a contract limit refused it:
 * {@code concurrency_limit}, {@code assistant_concurrency_limit}, {@code model_not_allowed}) or that no cap
 * applies; {@code message} says it in words. {@code maxDurationSeconds}: the longest the call may run, the
 * smaller of the contract's cap and what the money left under the spend cap buys at the recent cost per minute
 * (null: no limit).
 */
public record Admission(boolean allowed, String reason, @Nullable BigDecimal remaining,
        @Nullable String customerId, @Nullable String assistantId, @Nullable Integer maxDurationSeconds,
        String message) {

    public Admission(boolean allowed, String reason, @Nullable BigDecimal remaining, @Nullable String customerId,
            @Nullable String assistantId) {
        this(allowed, reason, remaining, customerId, assistantId, null, reason);
    }

    static Admission refused(String code, String message, @Nullable BigDecimal remaining, String customerId,
            @Nullable String assistantId) {
        return new Admission(false, code, remaining, customerId, assistantId, null, message);
    }
}
