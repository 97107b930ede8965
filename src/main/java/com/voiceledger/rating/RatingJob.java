package com.voiceledger.rating;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A background re-rating and how far it has got. */
public record RatingJob(long id, String description, @Nullable Long customerId, Instant from, String status, int total,
        int done, @Nullable String error, Instant createdAt, @Nullable Instant finishedAt) {

    public boolean finished() {
        return status.equals("DONE") || status.equals("FAILED");
    }

    public int percent() {
        return total == 0 ? (finished() ? 100 : 0) : Math.min(100, done * 100 / total);
    }
}
