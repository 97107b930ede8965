package com.voiceledger.guard;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One rule that fired on one call, with what was seen ({@code evidence}) and the share of the call's
 * charge thought wasted ({@code wastedShare}, 0 when no honest estimate exists).
 */
public record Finding(String callId, GuardRule rule, String evidence, BigDecimal wastedShare, BigDecimal wasted,
        Instant callTime) {
}
