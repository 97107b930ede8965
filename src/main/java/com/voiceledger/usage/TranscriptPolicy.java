package com.voiceledger.usage;

import com.voiceledger.shared.BadRequestException;
import org.jspecify.annotations.Nullable;

/**
 * How long a customer's call transcripts (the call's artifact: transcript, messages, recording URLs, and its
 * analysis) are kept: always, for a number of days after the call, or never (docs/decisions/0054).
 */
public record TranscriptPolicy(Keep keep, @Nullable Integer days) {

    public static final int MAX_DAYS = 3650;
    public static final TranscriptPolicy ALWAYS = new TranscriptPolicy(Keep.ALWAYS, null);
    public static final TranscriptPolicy NEVER = new TranscriptPolicy(Keep.NEVER, null);

    public enum Keep {
        ALWAYS, DAYS, NEVER
    }

    public TranscriptPolicy {
        if ((keep == Keep.DAYS) != (days != null)) {
            throw new BadRequestException("days go with DAYS, and only with it");
        }
        if (days != null && (days < 1 || days > MAX_DAYS)) {
            throw new BadRequestException("days must be between 1 and " + MAX_DAYS);
        }
    }

    public static TranscriptPolicy days(int days) {
        return new TranscriptPolicy(Keep.DAYS, days);
    }

    /** From the API's words: {@code keep} ALWAYS, DAYS or NEVER, and {@code days} with DAYS. */
    public static TranscriptPolicy parse(@Nullable String keep, @Nullable Integer days) {
        if (keep == null) {
            throw new BadRequestException("keep is required: ALWAYS, DAYS or NEVER");
        }
        try {
            return new TranscriptPolicy(Keep.valueOf(keep.strip().toUpperCase(java.util.Locale.ROOT)), days);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("keep must be ALWAYS, DAYS or NEVER");
        }
    }

    /** Whether a transcript is stored at all. */
    public boolean stores() {
        return keep != Keep.NEVER;
    }

    /** "kept always", "kept 30 days after the call", "never kept". */
    public String describe() {
        return switch (keep) {
            case ALWAYS -> "kept always";
            case DAYS -> "kept " + days + (days == 1 ? " day" : " days") + " after the call";
            case NEVER -> "never kept";
        };
    }
}
