package com.voiceledger.billing;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A finalised invoice (or the draft of the month in progress, {@code id} 0, status UPCOMING), with
 * its lines. {@code total} = {@code subtotal} + {@code credits}, each the sum of its lines.
 */
public record Invoice(long id, CustomerId customerId, String number, YearMonth month, String status, String currency,
        BigDecimal subtotal, BigDecimal credits, BigDecimal total, @Nullable Instant finalizedAt,
        List<InvoiceLine> lines) {

    public static final String UPCOMING = "UPCOMING";
    public static final String FINALIZED = "FINALIZED";

    public Invoice {
        lines = List.copyOf(lines);
    }
}
