package com.voiceledger.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/** Rounding to a currency's minor unit: once per invoice line, half-even (BILLING-RULES §5). */
public final class Money {

    private Money() {
    }

    public static BigDecimal round(BigDecimal amount, String currency) {
        return amount.setScale(Currency.getInstance(currency).getDefaultFractionDigits(), RoundingMode.HALF_EVEN);
    }

    /** The amount in the currency's minor units (cents), as Stripe wants it. */
    public static long minorUnits(BigDecimal amount, String currency) {
        return round(amount, currency).movePointRight(Currency.getInstance(currency).getDefaultFractionDigits())
                .longValueExact();
    }
}
