package com.voiceledger.latency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The fixed buckets of the latency histogram: 25 ms wide up to 1 s, 100 ms to 3 s, 250 ms to 5 s, 500 ms to
 * 10 s, 1 s to 60 s, and one for anything slower (up to an hour, the most a value may be). A percentile is
 * the upper bound of the bucket that holds it (nearest rank), so it is never below the true value and at most
 * one bucket width above it (decision 0075). Pure arithmetic on whole numbers.
 */
public final class LatencyBuckets {

    /** The upper bound of each bucket, in ms, rising; bucket i holds values in (bound[i-1], bound[i]]. */
    static final int[] UPPER;

    static {
        List<Integer> bounds = new ArrayList<>();
        for (int ms = 25; ms <= 1000; ms += 25) {
            bounds.add(ms);
        }
        for (int ms = 1100; ms <= 3000; ms += 100) {
            bounds.add(ms);
        }
        for (int ms = 3250; ms <= 5000; ms += 250) {
            bounds.add(ms);
        }
        for (int ms = 5500; ms <= 10_000; ms += 500) {
            bounds.add(ms);
        }
        for (int ms = 11_000; ms <= 60_000; ms += 1000) {
            bounds.add(ms);
        }
        bounds.add(3_600_000);
        UPPER = bounds.stream().mapToInt(Integer::intValue).toArray();
    }

    private LatencyBuckets() {
    }

    public static int count() {
        return UPPER.length;
    }

    /** The bucket a value (0 … 3,600,000 ms) falls in. */
    public static int bucketOf(int ms) {
        if (ms < 0 || ms > UPPER[UPPER.length - 1]) {
            throw new IllegalArgumentException("a latency is 0 to 3600000 ms, got " + ms);
        }
        int found = Arrays.binarySearch(UPPER, ms);
        return found >= 0 ? found : -found - 1;
    }

    public static int upperBound(int bucket) {
        return UPPER[bucket];
    }

    /**
     * The {@code percent}-th percentile (nearest rank: the smallest value with at least {@code percent} % of
     * the counts at or below it) of a histogram given as counts by bucket; 0 for an empty one.
     */
    public static int percentile(Map<Integer, Long> countsByBucket, int percent) {
        long total = countsByBucket.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (total * percent + 99) / 100);
        long seen = 0;
        for (int bucket = 0; bucket < UPPER.length; bucket++) {
            seen += countsByBucket.getOrDefault(bucket, 0L);
            if (seen >= rank) {
                return UPPER[bucket];
            }
        }
        throw new IllegalStateException("counts in unknown buckets: " + countsByBucket.keySet());
    }
}
