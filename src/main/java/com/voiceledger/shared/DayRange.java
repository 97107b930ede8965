package com.voiceledger.shared;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;

/**
 * Days {@code [from, to)} in a customer's billing time zone: a billing month, or a custom period a
 * user picked. {@code to} is exclusive so that ranges tile without overlap.
 */
public record DayRange(LocalDate from, LocalDate to) {

    /** The longest custom period a dashboard reads (rollups make this cheap; the bound keeps it so). */
    public static final int MAX_DAYS = 366;

    public DayRange {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("a period ends after it starts: " + from + " – " + to);
        }
    }

    public static DayRange of(YearMonth month) {
        return new DayRange(month.atDay(1), month.plusMonths(1).atDay(1));
    }

    /** From the first to the last day, both included (how people say a period). */
    public static DayRange inclusive(LocalDate first, LocalDate last) {
        return new DayRange(first, last.plusDays(1));
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to);
    }

    public LocalDate lastDay() {
        return to.minusDays(1);
    }

    /** The period of the same length just before this one (what a custom period is compared with). */
    public DayRange previous() {
        return new DayRange(from.minusDays(days()), from);
    }

    /** The whole billing month this range is, if it is one. */
    public boolean isMonth() {
        return from.getDayOfMonth() == 1 && to.equals(from.plusMonths(1));
    }

    @Override
    public String toString() {
        return isMonth() ? YearMonth.from(from).toString() : from + " – " + lastDay();
    }
}
