package com.voiceledger.customer;

import java.time.Instant;

/** One mapping: calls whose {@code type} field equals {@code value} belong to the customer. */
public record Attribution(AttributionType type, String value, Instant createdAt) {
}
