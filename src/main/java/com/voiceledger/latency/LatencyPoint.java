package com.voiceledger.latency;

import java.time.LocalDate;

/** One layer's p50/p95 on one day (in the customer's billing time zone), for the dashboard's chart. */
public record LatencyPoint(LocalDate day, String layer, int p50Ms, int p95Ms, long calls) {
}
