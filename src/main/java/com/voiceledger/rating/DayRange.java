package com.voiceledger.rating;

import java.time.LocalDate;
import java.time.YearMonth;

/** Days {@code [from, to)} in a customer's billing time zone. */
public record DayRange(LocalDate from, LocalDate to) {

    public static DayRange of(YearMonth month) {
        return new DayRange(month.atDay(1), month.plusMonths(1).atDay(1));
    }
}
