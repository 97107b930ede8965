package com.voiceledger.revenue;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * One amount of one document recognized in one month. {@code billedMonth} is the document's own month:
 * when it differs from {@code month}, the entry is a catch-up after a lock.
 */
public record Entry(YearMonth month, long documentId, String number, CustomerId customer, String currency,
        Category category, BigDecimal amount, YearMonth billedMonth) {

    public boolean catchUp() {
        return !month.equals(billedMonth);
    }
}
