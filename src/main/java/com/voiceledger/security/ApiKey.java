package com.voiceledger.security;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A customer's API key as listed: its prefix only, never the secret. */
public record ApiKey(long id, CustomerId customerId, String name, String prefix, Instant createdAt,
        @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
