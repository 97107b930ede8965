package com.voiceledger.rating;

import java.math.BigDecimal;
import java.time.Instant;

/** Usage that found no price: what is missing, how much of it, since when. */
public record UnpricedItem(String layer, String provider, String model, String unit, long calls, long customers,
        BigDecimal quantity, Instant firstCall, Instant lastCall) {
}
