package com.voiceledger.rating;

import java.math.BigDecimal;
import java.time.Instant;

/** Per-minute calls under one contract: billable seconds, their charge and the minimum-charge top-ups. */
public record PerMinuteGroup(boolean late, long contractId, long billableSeconds, BigDecimal minutesCharge,
        BigDecimal topUps, long calls, long callsToppedUp, Instant firstCall, Instant lastCall) {
}
