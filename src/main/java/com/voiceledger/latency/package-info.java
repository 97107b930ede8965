/**
 * Latency per layer (issue #30): each reported call's performance metrics kept for its detail, an hourly
 * fixed-bucket histogram per customer, assistant, layer, provider and model from which p50/p95 are read, and
 * customer-set p95 thresholds per assistant that raise an alert (docs/decisions/0075-latency-per-layer.md).
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.latency;
