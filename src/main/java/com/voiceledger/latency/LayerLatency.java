package com.voiceledger.latency;

import java.util.Map;

/** One layer's latency over some calls: p50 and p95 in ms (bucket upper bounds, decision 0075) and how many calls. */
public record LayerLatency(int p50Ms, int p95Ms, long calls) {

    static LayerLatency of(Map<Integer, Long> histogram) {
        return new LayerLatency(LatencyBuckets.percentile(histogram, 50), LatencyBuckets.percentile(histogram, 95),
                histogram.values().stream().mapToLong(Long::longValue).sum());
    }
}
