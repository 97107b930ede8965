package com.voiceledger.ui;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How every screen writes amounts, instants and durations (docs/decisions/0043-one-money-format.md);
 * display only, never used for arithmetic. The same rule goes to charts through {@link Charts.Values}.
 *
 * <ul>
 * <li>{@link #money}: an amount, a total, a balance: at the currency's minor unit (half-even, as the
 * invoice rounds), with the currency code: {@code 179.46 USD}.</li>
 * <li>{@link #precise}: a unit price or one call's figure: every decimal it has, at least the minor unit,
 * at most 8 (the rate card's precision), with the currency: {@code 0.0000025 USD}.</li>
 * <li>{@link #percent}, {@link #instant}, {@link #zoneLabel}, {@link #duration}, {@link #quantity}.</li>
 * </ul>
 */
public final class Formats {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);
    /** The rate card's precision (BILLING-RULES §2): no price or per-call figure needs more to be exact. */
    static final int MOST_DECIMALS = 8;

    private Formats() {
    }

    public static String instant(@Nullable Instant instant, ZoneId zone) {
        return instant == null ? "–" : DATE_TIME.format(instant.atZone(zone));
    }

    /** A column header or label that says which zone its times are in: {@code "Time (America/New_York)"}. */
    public static String zoneLabel(String what, ZoneId zone) {
        return what + " (" + zone.getId() + ")";
    }

    public static String duration(int seconds) {
        return seconds == 0 ? "0:00" : "%d:%02d".formatted(seconds / 60, seconds % 60);
    }

    /** An amount, total or balance: to the currency's minor unit, half-even, with the currency. */
    public static String money(@Nullable BigDecimal amount, String currency) {
        return amount == null ? "–" : amount.setScale(minorDigits(currency), RoundingMode.HALF_EVEN).toPlainString()
                + " " + currency;
    }

    /** A unit price or a per-call figure: exact up to 8 decimals, never fewer than the minor unit. */
    public static String precise(@Nullable BigDecimal amount, String currency) {
        if (amount == null) {
            return "–";
        }
        int scale = Math.clamp(amount.stripTrailingZeros().scale(), minorDigits(currency), MOST_DECIMALS);
        return amount.setScale(scale, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
    }

    /** Same as {@link #money}: a running total as a headline (kept for the views that say "total"). */
    public static String total(@Nullable BigDecimal total, String currency) {
        return money(total, currency);
    }

    /** Same as {@link #precise}: one call's charge. */
    public static String charge(@Nullable BigDecimal charge, String currency) {
        return precise(charge, currency);
    }

    /** A share in percent, as computed (two decimals): {@code 12.50 %}. */
    public static String percent(@Nullable BigDecimal percent) {
        return percent == null ? "–" : percent.toPlainString() + " %";
    }

    public static String quantity(BigDecimal quantity) {
        return quantity.stripTrailingZeros().toPlainString();
    }

    /** Decimals of the currency's minor unit (2 for USD and EUR, 0 for JPY); 2 for a code Java does not know. */
    public static int minorDigits(String currency) {
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? 2 : digits;
        } catch (IllegalArgumentException unknown) {
            return 2;
        }
    }
}
