package com.voiceledger.rating;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;

/** A newly reported call has its charge (published in the recording transaction, after the rollups). */
public record CallRated(String callId, CustomerId customerId, Instant callTime, BigDecimal charge, String currency,
        BigDecimal providerCost) {
}
