package com.voiceledger.shared;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * The bounds every amount, quantity and date from outside is held to before any arithmetic (issue 25). A
 * decimal's size is its exponent, not its length: {@code 1e999999999} is eleven characters, and scaling it to
 * cents asked for a billion digits (OutOfMemoryError), while {@code 1e2000000} was stored as a cap of 0.00.
 * A year such as {@code +999999999} parses, and the first plusMonths or atStartOfDay throws. So: at most
 * {@value #MAX_INTEGER_DIGITS} digits before the point and {@value #MAX_SCALE} after, years
 * {@value #FIRST_YEAR}–{@value #LAST_YEAR}. A refusal names the field and the rule, never the value (a value
 * can be megabytes long, and an error body or a log row must not be).
 */
public final class InputBounds {

    public static final int MAX_INTEGER_DIGITS = 15;
    public static final int MAX_SCALE = 12;
    public static final int FIRST_YEAR = 1970;
    public static final int LAST_YEAR = 9999;
    /** No decimal, date or month written out needs more characters than this. */
    public static final int MAX_TEXT = 64;

    private InputBounds() {
    }

    /** The decimal, if it has at most 15 digits before the point and 12 after (trailing zeros aside). */
    public static BigDecimal decimal(String field, BigDecimal value) {
        // precision - scale is the count of digits before the point; both are ints, cheap however large the exponent
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > MAX_INTEGER_DIGITS) {
            throw new BadRequestException(field + " is too large: at most " + MAX_INTEGER_DIGITS
                    + " digits before the decimal point");
        }
        if (value.scale() > MAX_SCALE) {
            if (value.precision() > MAX_INTEGER_DIGITS + MAX_SCALE + 40) {
                throw new BadRequestException(field + " has too many decimals: at most " + MAX_SCALE);
            }
            BigDecimal stripped = value.stripTrailingZeros();
            if (stripped.scale() > MAX_SCALE) {
                throw new BadRequestException(field + " has too many decimals: at most " + MAX_SCALE);
            }
            return stripped;
        }
        return value;
    }

    /** A decimal written as text (a JSON string, a form field). */
    public static BigDecimal decimal(String field, String text) {
        String trimmed = text.strip();
        if (trimmed.length() > MAX_TEXT) {
            throw new BadRequestException(field + " is not a number of at most " + MAX_TEXT + " characters");
        }
        try {
            return decimal(field, new BigDecimal(trimmed));
        } catch (NumberFormatException e) {
            throw new BadRequestException(field + " is not a number");
        }
    }

    /** A month as YYYY-MM, years 1970–9999. */
    public static YearMonth month(String field, @Nullable String text) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            throw new BadRequestException(field + " must be YYYY-MM");
        }
        try {
            return month(field, YearMonth.parse(text.strip()));
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field + " must be YYYY-MM");
        }
    }

    public static YearMonth month(String field, YearMonth month) {
        year(field, month.getYear());
        return month;
    }

    /** A day as YYYY-MM-DD, years 1970–9999. */
    public static LocalDate date(String field, @Nullable String text) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            throw new BadRequestException(field + " must be YYYY-MM-DD");
        }
        try {
            LocalDate date = LocalDate.parse(text.strip());
            year(field, date.getYear());
            return date;
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field + " must be YYYY-MM-DD");
        }
    }

    /** An instant as ISO-8601 (2026-11-01T00:00:00Z), years 1970–9999. */
    public static Instant instant(String field, @Nullable String text) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            throw new BadRequestException(field + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        }
        try {
            return instant(field, Instant.parse(text.strip()));
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        }
    }

    public static Instant instant(String field, Instant instant) {
        try {
            year(field, instant.atOffset(ZoneOffset.UTC).getYear());
        } catch (DateTimeException e) {
            throw new BadRequestException(field + " is out of range: years " + FIRST_YEAR + "–" + LAST_YEAR);
        }
        return instant;
    }

    private static void year(String field, int year) {
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new BadRequestException(field + " is out of range: years " + FIRST_YEAR + "–" + LAST_YEAR);
        }
    }
}
