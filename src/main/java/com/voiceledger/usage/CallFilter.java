package com.voiceledger.usage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Which calls to list: a half-open time range {@code [from, to)} and an optional assistant. */
public record CallFilter(@Nullable Instant from, @Nullable Instant to, @Nullable String assistantId) {

    public static CallFilter all() {
        return new CallFilter(null, null, null);
    }
}
