package com.voiceledger.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The billing record of one finished call, already normalised from the platform's format.
 * {@code artifactJson} and {@code analysisJson} are kept verbatim for disputes and cost guards;
 * {@code latency} is what the report's performance metrics say, null when it has none.
 */
public record EndOfCallReport(CallIdentity call, @Nullable Instant startedAt, @Nullable Instant endedAt,
        @Nullable String endedReason, @Nullable BigDecimal providerCost, List<UsageComponent> components,
        @Nullable String artifactJson, @Nullable String analysisJson, @Nullable CallLatency latency) {

    public EndOfCallReport {
        components = List.copyOf(components);
    }

    /** A report without performance metrics. */
    public EndOfCallReport(CallIdentity call, @Nullable Instant startedAt, @Nullable Instant endedAt,
            @Nullable String endedReason, @Nullable BigDecimal providerCost, List<UsageComponent> components,
            @Nullable String artifactJson, @Nullable String analysisJson) {
        this(call, startedAt, endedAt, endedReason, providerCost, components, artifactJson, analysisJson, null);
    }

    /** {@code endedAt − startedAt} in whole seconds, rounded down; 0 without both (BILLING-RULES §1). */
    public int durationSeconds() {
        if (startedAt == null || endedAt == null || endedAt.isBefore(startedAt)) {
            return 0;
        }
        return (int) java.time.Duration.between(startedAt, endedAt).toSeconds();
    }
}
