package com.voiceledger.security.internal;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The admin API token opens everything finance can do, so a start refuses a guessable one: at least
 * {@value #MIN_LENGTH} characters and about {@value #MIN_BITS} bits of entropy (length × the Shannon
 * entropy of its characters), which {@code openssl rand -hex 32} gives with room to spare.
 */
public final class AdminTokenPolicy {

    static final int MIN_LENGTH = 32;
    static final int MIN_BITS = 128;

    private AdminTokenPolicy() {
    }

    /** Throws, stopping the start, when a configured token is too weak. Demo mode is exempt (and says so loudly). */
    public static void requireStrong(@Nullable String token, boolean demoMode) {
        if (token == null || token.isBlank() || demoMode) {
            return;
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalStateException("VOICELEDGER_ADMIN_API_TOKEN is too short: use at least " + MIN_LENGTH
                    + " random characters (e.g. openssl rand -hex 32)");
        }
        if (bits(token) < MIN_BITS) {
            throw new IllegalStateException("VOICELEDGER_ADMIN_API_TOKEN is too predictable (about "
                    + Math.round(bits(token)) + " bits): use " + MIN_BITS + " bits of randomness (e.g. openssl rand -hex 32)");
        }
    }

    /** Length × Shannon entropy per character: repeated or few distinct characters score low. */
    static double bits(String token) {
        Map<Integer, Integer> counts = new HashMap<>();
        token.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        int length = token.codePointCount(0, token.length());
        double perCharacter = 0;
        for (int count : counts.values()) {
            double p = (double) count / length;
            perCharacter -= p * Math.log(p) / Math.log(2);
        }
        return perCharacter * length;
    }
}
