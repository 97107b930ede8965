package com.voiceledger.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.usage.CallLatency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The histogram's fixed buckets and nearest-rank percentiles, with the arithmetic beside each figure. */
class LatencyBucketsTest {

    @Test
    void aValueFallsInTheBucketWhoseUpperBoundIsTheFirstAtOrAboveIt() {
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(0))).isEqualTo(25);
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(25))).isEqualTo(25); // bounds are inclusive
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(26))).isEqualTo(50);
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(1001))).isEqualTo(1100); // 100 ms wide from 1 s
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(3001))).isEqualTo(3250); // 250 ms wide from 3 s
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(5001))).isEqualTo(5500); // 500 ms wide from 5 s
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(10_001))).isEqualTo(11_000); // 1 s wide from 10 s
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.bucketOf(60_001))).isEqualTo(3_600_000); // the rest
        // 40 + 20 + 8 + 10 + 50 + 1 buckets
        assertThat(LatencyBuckets.count()).isEqualTo(129);
        assertThatThrownBy(() -> LatencyBuckets.bucketOf(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencyBuckets.bucketOf(3_600_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentilesAreTheNearestRankBucketsUpperBound() {
        int b900 = LatencyBuckets.bucketOf(900);
        int b2000 = LatencyBuckets.bucketOf(2000);
        // 8 calls at 900 and 2 at 2000: p50 rank ⌈10 × 0.5⌉ = 5 → 900; p95 rank ⌈10 × 0.95⌉ = 10 → 2000
        Map<Integer, Long> histogram = Map.of(b900, 8L, b2000, 2L);
        assertThat(LatencyBuckets.percentile(histogram, 50)).isEqualTo(900);
        assertThat(LatencyBuckets.percentile(histogram, 95)).isEqualTo(2000);
        // 19 at 900 and 1 at 2000: p95 rank ⌈20 × 0.95⌉ = 19 → still 900 (one slow call in twenty is the 5 %)
        assertThat(LatencyBuckets.percentile(Map.of(b900, 19L, b2000, 1L), 95)).isEqualTo(900);
        assertThat(LatencyBuckets.percentile(Map.of(), 95)).isZero();
    }

    @Test
    void aCallsValueIsTheReportsAverageElseTheMeanOfItsTurns() {
        List<CallLatency.Turn> turns = List.of(new CallLatency.Turn(null, 90, 300, null, 1000),
                new CallLatency.Turn(null, 111, 401, null, null));
        CallLatency latency = CallLatency.of(turns, Map.of(CallLatency.TURN, 1500));
        // turn: the report's 1500, not the turns' 1000; model (300 + 401) / 2 = 350.5 → 351; transcriber 100.5 → 101
        assertThat(latency.perLayer()).isEqualTo(Map.of(CallLatency.TURN, 1500, CallLatency.MODEL, 351,
                CallLatency.TRANSCRIBER, 101));
        assertThat(CallLatency.of(List.of(), Map.of()).isEmpty()).isTrue();
    }
}
