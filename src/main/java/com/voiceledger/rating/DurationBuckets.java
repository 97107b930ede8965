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
}
