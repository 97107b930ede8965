package com.voiceledger.rating;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A call drew {@code drawnNow} units from a grant in units: {@code used} of {@code available} (the period's own
 * units plus those rolled over) are now drawn in the period starting at {@code periodStart}. Published in the
 * drawing transaction.
 */
public record GrantDrawn(CustomerId customer, String grantId, LocalDate periodStart, BigDecimal available,
        BigDecimal used, BigDecimal drawnNow) {

    /** Whether this draw took the grant to {@code percent} % of what was available (it was below before). */
    public boolean crossed(int percent) {
        BigDecimal line = available.multiply(BigDecimal.valueOf(percent));
        BigDecimal hundred = BigDecimal.valueOf(100);
        return used.multiply(hundred).compareTo(line) >= 0 && used.subtract(drawnNow).multiply(hundred).compareTo(line) < 0;
    }
}
