package com.voiceledger.billing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a commitment or credit is being used up: the level, what is used to date, what is left, and a
 * projection to the period's end from the recent daily run rate, with the day it would run out (or
 * the shortfall expected at the end). {@code daily} is the cumulative use per day, for charts.
 */
public record BurnDown(String what, String currency, LocalDate periodStart, LocalDate periodEnd, BigDecimal level,
        BigDecimal usedToDate, BigDecimal remaining, BigDecimal dailyRunRate, BigDecimal projectedUse,
        @Nullable LocalDate exhaustedOn, BigDecimal projectedShortfall, List<Point> daily) {

    public BurnDown {
        daily = List.copyOf(daily);
    }

    public record Point(LocalDate day, BigDecimal cumulative) {
    }
}
