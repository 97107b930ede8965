package com.voiceledger.spendcap;

import java.time.Instant;
import java.time.YearMonth;
import org.jspecify.annotations.Nullable;

/** An alert (spend threshold or cost guard) and whether it reached the customer's webhook. */
public record Alert(long id, long customerId, YearMonth month, String kind, int threshold, String message,
        Instant createdAt, String deliveryStatus, int deliveryAttempts, @Nullable String deliveryError) {
}
