package com.voiceledger.rating;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A customer's charges of one day (its billing time zone), from the rollups. */
public record DailyCharge(LocalDate day, BigDecimal charge) {
}
