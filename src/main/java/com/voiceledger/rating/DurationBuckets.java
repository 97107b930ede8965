package com.voiceledger.rating;

import java.util.List;

/**
 * The call-duration buckets of the distribution chart, named by their lower bound in seconds. The
 * rollup ({@code rating_calls_daily}) stores the bound; the SQL that rebuilds it uses the same bounds.
 */
public final class DurationBuckets {

    /** Lower bounds in seconds, ascending; the last bucket is open-ended. */
    public static final List<Integer> LOWER_BOUNDS = List.of(0, 15, 30, 60, 120, 300, 600, 1200);

    private DurationBuckets() {
    }

    /** The bucket (its lower bound) a call of this many seconds falls in. */
    public static int bucketOf(int durationSeconds) {
        int bucket = 0;
        for (int bound : LOWER_BOUNDS) {
            if (durationSeconds >= bound) {
                bucket = bound;
            }
        }
        return bucket;
    }

    /** How a bucket reads on a chart axis: "0–15 s", "30 s–1 min", "20 min +". */
    public static String label(int lowerBound) {
        int index = LOWER_BOUNDS.indexOf(lowerBound);
        if (index < 0) {
            throw new IllegalArgumentException("not a bucket: " + lowerBound);
        }
        if (index == LOWER_BOUNDS.size() - 1) {
            return readable(lowerBound) + " +";
        }
        int upper = LOWER_BOUNDS.get(index + 1);
        // the unit is written once when both ends share it: "15–30 s", "1–2 min", but "30 s–1 min"
        boolean sameUnit = (lowerBound >= 60) == (upper >= 60);
        String from = lowerBound >= 60 ? Integer.toString(lowerBound / 60) : Integer.toString(lowerBound);
        return (sameUnit ? from : readable(lowerBound)) + "–" + readable(upper);
    }

    private static String readable(int seconds) {
        return seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
    }

    /**
     * The 95th percentile of durations given per bucket as {lower bound, calls, summed seconds}, in bucket
     * order; empty below {@code minimumCalls}. Linear within the bucket that holds it; the open last bucket
     * is taken to reach as far above its mean as its lower bound is below it.
     */
    public static java.util.Optional<Integer> p95(List<long[]> buckets, int minimumCalls) {
        long total = buckets.stream().mapToLong(bucket -> bucket[1]).sum();
        if (total < minimumCalls || total == 0) {
            return java.util.Optional.empty();
        }
        long rank = (long) Math.ceil(0.95 * total);
        long below = 0;
        for (long[] bucket : buckets) {
            long calls = bucket[1];
            if (calls > 0 && below + calls >= rank) {
                int lower = (int) bucket[0];
                int index = LOWER_BOUNDS.indexOf(lower);
                double upper = index >= 0 && index < LOWER_BOUNDS.size() - 1 ? LOWER_BOUNDS.get(index + 1)
                        : Math.max(lower, 2.0 * bucket[2] / calls - lower);
                return java.util.Optional.of((int) Math.round(lower + (upper - lower) * (rank - below) / calls));
            }
            below += calls;
        }
        return java.util.Optional.empty();
    }
}
