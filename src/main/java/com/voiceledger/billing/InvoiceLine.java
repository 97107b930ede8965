package com.voiceledger.billing;

import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One line and why it is what it is. {@code amount} is rounded once to the currency's minor unit;
 * {@code explanation} holds the structured detail (unit price source, the calls behind the line with a
 * drill-down link, ledger entries used).
 */
public record InvoiceLine(LineKind kind, String description, @Nullable BigDecimal quantity, @Nullable String unit,
        @Nullable BigDecimal unitPrice, BigDecimal amount, Map<String, Object> explanation) {

    public InvoiceLine {
        explanation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(explanation));
    }
}
