package com.voiceledger.rating;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A background re-rating and how far it has got. {@code rate}: calls per second over the current (or last)
 * instance's run of it, null before its first transaction; {@code progressAt}: when progress was last recorded.
 */
public record RatingJob(long id, String description, @Nullable Long customerId, Instant from, String status, int total,
        int done, @Nullable String error, Instant createdAt, @Nullable Instant finishedAt, @Nullable BigDecimal rate,
        @Nullable Instant progressAt) {

    public RatingJob(long id, String description, @Nullable Long customerId, Instant from, String status, int total,
            int done, @Nullable String error, Instant createdAt, @Nullable Instant finishedAt) {
        this(id, description, customerId, from, status, total, done, error, createdAt, finishedAt, null, null);
    }

    public boolean finished() {
        return status.equals("DONE") || status.equals("FAILED");
    }

    public boolean paused() {
        return status.equals("PAUSED");
    }

    /** Finance can pause a job that has not finished, and resume a paused one. */
    public boolean pausable() {
        return status.equals("QUEUED") || status.equals("RUNNING");
    }

    public int percent() {
        return total == 0 ? (finished() ? 100 : 0) : Math.min(100, done * 100 / total);
    }

    /**
     * How long the calls left take at the measured rate; null while nothing is measured (or when the job is not
     * running). An estimate from the rate so far, not a promise: ingest beside it changes the rate.
     */
    public @Nullable Duration timeLeft() {
        if (!status.equals("RUNNING") || rate == null || rate.signum() <= 0) {
            return null;
        }
        long left = Math.max(0, total - done);
        return Duration.ofSeconds((long) Math.ceil(left / rate.doubleValue()));
    }
}
