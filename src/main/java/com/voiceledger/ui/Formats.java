package com.voiceledger.ui;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How the screens write instants, durations and amounts; display only, never used for arithmetic. */
public final class Formats {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);

    private Formats() {
    }

    public static String instant(@Nullable Instant instant, ZoneId zone) {
        return instant == null ? "–" : DATE_TIME.format(instant.atZone(zone));
    }

    public static String duration(int seconds) {
        return seconds == 0 ? "0:00" : "%d:%02d".formatted(seconds / 60, seconds % 60);
    }

    /** An amount as reported, to 4 decimals for reading (stored figures keep full precision). */
    public static String amount(@Nullable BigDecimal amount, String currency) {
        return amount == null ? "–" : amount.setScale(4, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
    }

    /**
     * A running total as a headline: to the cent, half-even, as the invoice will round it. The precise
     * figure stays in the call list and the CSV.
     */
    public static String total(@Nullable BigDecimal total, String currency) {
        return total == null ? "–" : total.setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
    }

    /** A charge as customers read it: to the cent when it has no more, else to 6 decimals (unrounded ones are kept). */
    public static String charge(@Nullable BigDecimal charge, String currency) {
        if (charge == null) {
            return "–";
        }
        BigDecimal shown = charge.stripTrailingZeros().scale() <= 2 ? charge.setScale(2, RoundingMode.HALF_EVEN)
                : charge.setScale(Math.min(6, charge.stripTrailingZeros().scale()), RoundingMode.HALF_EVEN);
        return shown.toPlainString() + " " + currency;
    }

    public static String quantity(BigDecimal quantity) {
        return quantity.stripTrailingZeros().toPlainString();
    }
}
