package com.voiceledger.usage;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * A customer's usage in one billing month (in its billing time zone), by layer and unit. Provider
 * cost is in the currency the platform reports (USD); charges arrive with rating.
 */
public record UsageSummary(YearMonth month, long calls, BigDecimal minutes, BigDecimal providerCost,
        String currency, List<LayerUsage> layers) {

    public record LayerUsage(String layer, String unit, BigDecimal quantity, BigDecimal providerCost, long calls) {
    }
}
