package com.voiceledger.rating;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * A customer's rated usage in one billing month, from the rollups: totals and one line per priced
 * item. Charges are at full precision (in the customer's currency); provider cost is in USD as the
 * platform reports it.
 */
public record MonthCharges(YearMonth month, long calls, long durationSeconds, long unpricedCalls, BigDecimal charge,
        BigDecimal providerCost, String currency, List<Item> items) {

    public record Item(String layer, String provider, String model, String unit, BigDecimal quantity,
            BigDecimal providerCost, BigDecimal charge, long calls) {
    }
}
