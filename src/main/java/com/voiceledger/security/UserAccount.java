package com.voiceledger.security;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A person's login, without its password. */
public record UserAccount(long id, String username, String displayName, Role role, @Nullable CustomerId customerId,
        Instant createdAt) {
}
