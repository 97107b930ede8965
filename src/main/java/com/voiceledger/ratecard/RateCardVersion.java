package com.voiceledger.ratecard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A published version of the rate card. Immutable: corrections are new versions. */
public record RateCardVersion(int number, Instant effectiveFrom, String currency, String reason, String publishedBy,
        Instant publishedAt, List<RateEntry> entries) {

    public RateCardVersion {
        entries = List.copyOf(entries);
    }

    public Optional<RateEntry> find(String layer, String provider, String model, String unit) {
        return table().find(layer, provider, model, unit);
    }

    public PriceTable table() {
        return PriceTable.of(entries);
    }

    public String label() {
        return "rate card v" + number;
    }
}
