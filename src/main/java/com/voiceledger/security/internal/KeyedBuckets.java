package com.voiceledger.security.internal;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets (Bucket4j) kept in memory by key: an address, a login, an API key. Each key starts
 * full with {@code capacity} tokens that come back evenly over {@code period}. Keys whose bucket is
 * full again are forgotten, so a flood of made-up keys cannot grow the map for long. In memory means
 * per instance: behind a load balancer each instance counts on its own (decision 0034).
 */
public final class KeyedBuckets {

    /** Past this many keys, full buckets are dropped at once rather than on the next sweep. */
    private static final int SWEEP_AT = 50_000;

    private final long capacity;
    private final Duration period;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public KeyedBuckets(long capacity, Duration period, Clock clock) {
        if (capacity < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a limit needs a capacity of at least 1 and a positive period");
        }
        this.capacity = capacity;
        this.period = period;
        this.time = new ClockTime(clock);
    }

    /** Takes a token; the wait until one is back when there was none (zero: taken). */
    public Duration take(String key) {
        var probe = bucket(key).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    /**
     * Gives back a token taken for an attempt that turned out to be legitimate (never past the capacity);
     * nothing when the key was forgotten meanwhile.
     */
    public void refund(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    /** The wait until this key has a token again, without taking one (zero: it has one). */
    public Duration waitFor(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return Duration.ZERO;
        }
        var estimate = bucket.estimateAbilityToConsume(1);
        return estimate.canBeConsumed() ? Duration.ZERO : Duration.ofNanos(estimate.getNanosToWaitForRefill());
    }

    /** True when the key has no token left. */
    public boolean exhausted(String key) {
        return !waitFor(key).isZero();
    }

    public void forget(String key) {
        buckets.remove(key);
    }

    public void forgetAll() {
        buckets.clear();
    }

    public long capacity() {
        return capacity;
    }

    /** Drops keys whose bucket is full again: they hold nothing a new bucket would not. */
    public void sweep() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= capacity);
    }

    private Bucket bucket(String key) {
        if (buckets.size() > SWEEP_AT) {
            sweep();
        }
        return buckets.computeIfAbsent(key, ignored -> Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .withCustomTimePrecision(time)
                .build());
    }

    /** Bucket4j's clock from the application's injected {@link Clock}. */
    private record ClockTime(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
