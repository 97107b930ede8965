package com.voiceledger.rating;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * What one group (a customer, layer, model or assistant) earned: charge − provider cost, and that as a
 * percentage of the provider cost, so that a cost-plus contract's markup reads as its margin (20 %
 * markup at list price = 20 %). {@code marginPercent} is null when there is no cost to divide by.
 * See docs/decisions/0012-margins.md.
 */
public record MarginRow(String key, BigDecimal charge, BigDecimal providerCost, BigDecimal margin,
        @Nullable BigDecimal marginPercent, long calls) {

    public static MarginRow of(String key, BigDecimal charge, BigDecimal providerCost, long calls) {
        BigDecimal margin = charge.subtract(providerCost);
        BigDecimal percent = providerCost.signum() == 0 ? null
                : margin.multiply(BigDecimal.valueOf(100)).divide(providerCost, 2, RoundingMode.HALF_EVEN);
        return new MarginRow(key, charge.setScale(4, RoundingMode.HALF_EVEN), providerCost.setScale(4,
                RoundingMode.HALF_EVEN), margin.setScale(4, RoundingMode.HALF_EVEN), percent, calls);
    }
}
