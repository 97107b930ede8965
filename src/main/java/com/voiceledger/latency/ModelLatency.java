package com.voiceledger.latency;

/** One layer's latency for one provider and model across all customers in a month (finance, beside margin). */
public record ModelLatency(String layer, String provider, String model, int p50Ms, int p95Ms, long calls) {
}
