package com.voiceledger.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationBucketsTest {

    @ParameterizedTest(name = "a call of {0} s falls in the bucket from {1} s, read as \"{2}\"")
    @CsvSource(delimiter = '|', textBlock = """
            0    | 0    | 0–15 s
            14   | 0    | 0–15 s
            15   | 15   | 15–30 s
            59   | 30   | 30 s–1 min
            60   | 60   | 1–2 min
            192  | 120  | 2–5 min
            299  | 120  | 2–5 min
            300  | 300  | 5–10 min
            600  | 600  | 10–20 min
            1199 | 600  | 10–20 min
            1200 | 1200 | 20 min +
            86400| 1200 | 20 min +
            """)
    void everyDurationFallsInExactlyOneBucket(int seconds, int bucket, String label) {
        assertThat(DurationBuckets.bucketOf(seconds)).isEqualTo(bucket);
        assertThat(DurationBuckets.label(bucket)).isEqualTo(label);
    }

    @ParameterizedTest
    @CsvSource({"1", "61", "-15"})
    void onlyBucketBoundsHaveLabels(int notABound) {
        assertThatThrownBy(() -> DurationBuckets.label(notABound)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void theP95FromTheHistogramIsInterpolatedInTheBucketThatHoldsIt() {
        // 100 calls: 90 of 60–120 s, 10 of 120–300 s; rank 95 is the 5th of the 10 → 120 + 180 × 5/10 = 210 s
        java.util.List<long[]> buckets = java.util.List.of(new long[] {60, 90, 90 * 90}, new long[] {120, 10, 10 * 200});
        assertThat(DurationBuckets.p95(buckets, 20)).contains(210);
        // the open last bucket reaches as far above its mean as its lower bound is below: 1200..1800 for a mean of 1500
        assertThat(DurationBuckets.p95(java.util.List.of(new long[] {1200, 40, 40 * 1500}), 20)).contains(1770);
    }

    @org.junit.jupiter.api.Test
    void tooFewCallsHaveNoP95() {
        assertThat(DurationBuckets.p95(java.util.List.of(new long[] {60, 19, 19 * 90}), 20)).isEmpty();
        assertThat(DurationBuckets.p95(java.util.List.of(), 0)).isEmpty();
    }
}
