package com.voiceledger.ratecard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Price lookup by the most specific match: the exact model, then {@code provider/*}, then
 * {@code * / *} (BILLING-RULES §2). Pure and immutable.
 */
public final class PriceTable {

    private final Map<String, RateEntry> byKey = new HashMap<>();

    private PriceTable(List<RateEntry> entries) {
        for (RateEntry entry : entries) {
            if (byKey.put(entry.key(), entry) != null) {
                throw new com.voiceledger.shared.BadRequestException("two prices for " + entry.key());
            }
        }
    }

    public static PriceTable of(List<RateEntry> entries) {
        return new PriceTable(entries);
    }

    public Optional<RateEntry> find(String layer, String provider, String model, String unit) {
        RateEntry exact = byKey.get(RateEntry.describe(layer, provider, model, unit));
        if (exact != null) {
            return Optional.of(exact);
        }
        RateEntry anyModel = byKey.get(RateEntry.describe(layer, provider, RateEntry.ANY, unit));
        if (anyModel != null) {
            return Optional.of(anyModel);
        }
        return Optional.ofNullable(byKey.get(RateEntry.describe(layer, RateEntry.ANY, RateEntry.ANY, unit)));
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }
}
