package com.voiceledger.customer;

import java.time.Instant;

/**
 * One mapping: calls whose {@code type} field equals {@code value} belong to the customer. {@code learned}: pinned
 * by the first call that named its customer, not set by finance (issue 25; finance may move it).
 */
public record Attribution(AttributionType type, String value, Instant createdAt, boolean learned) {

    public Attribution(AttributionType type, String value, Instant createdAt) {
        this(type, value, createdAt, false);
    }
}
