package com.voiceledger.rating;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A customer's rated usage in one billing month, from the rollups: totals and one line per priced
 * item. Charges are at full precision (in the customer's currency); provider cost is in USD as the
 * platform reports it.
 */
public record MonthCharges(YearMonth month, long calls, long durationSeconds, long unpricedCalls, BigDecimal charge,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable BigDecimal providerCost, String currency,
        List<Item> items) {

    public record Item(String layer, String provider, String model, String unit, BigDecimal quantity,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable BigDecimal providerCost, BigDecimal charge,
            long calls) {
    }

    /** The same month for someone who may not see the provider's cost. */
    public MonthCharges withoutProviderCost() {
        return new MonthCharges(month, calls, durationSeconds, unpricedCalls, charge, null, currency, items.stream()
                .map(i -> new Item(i.layer(), i.provider(), i.model(), i.unit(), i.quantity(), null, i.charge(),
                        i.calls()))
                .toList());
    }
}
