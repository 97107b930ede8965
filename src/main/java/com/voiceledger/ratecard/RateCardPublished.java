package com.voiceledger.ratecard;

import java.time.Instant;

/** A version was published; calls from {@code effectiveFrom} on may need re-rating. */
public record RateCardPublished(int version, Instant effectiveFrom) {
}
