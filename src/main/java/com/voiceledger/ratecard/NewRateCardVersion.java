package com.voiceledger.ratecard;

import com.voiceledger.shared.BadRequestException;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/** What finance publishes: checked whole before anything is stored. */
public record NewRateCardVersion(Instant effectiveFrom, String currency, String reason, List<RateEntry> entries) {

    public NewRateCardVersion {
        if (effectiveFrom == null) {
            throw new BadRequestException("effectiveFrom is required");
        }
        if (currency == null || !isCurrency(currency)) {
            throw new BadRequestException("currency must be an ISO 4217 code such as USD");
        }
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a reason is required: it goes to the audit log");
        }
        if (entries == null || entries.isEmpty()) {
            throw new BadRequestException("a rate card version needs at least one entry");
        }
        entries = List.copyOf(entries);
        PriceTable.of(entries);
    }

    private static boolean isCurrency(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
