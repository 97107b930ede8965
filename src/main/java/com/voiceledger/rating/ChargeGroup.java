package com.voiceledger.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rated components of cost-plus calls summed by what an invoice line is made of: layer, provider,
 * model, unit and billed unit price. {@code late}: the calls belong to an already closed month.
 */
public record ChargeGroup(boolean late, String layer, String provider, String model, String unit,
        @Nullable BigDecimal billedUnitPrice, List<String> sources, BigDecimal quantity, BigDecimal charge, long calls,
        Instant firstCall, Instant lastCall) {

    public ChargeGroup {
        sources = List.copyOf(sources);
    }

    public boolean unpriced() {
        return billedUnitPrice == null;
    }
}
