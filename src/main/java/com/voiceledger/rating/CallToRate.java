package com.voiceledger.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** What rating needs to know of a call: when it started, how long it ran, what it used. */
public record CallToRate(String callId, Instant callTime, int durationSeconds, List<Component> components) {

    public CallToRate {
        components = List.copyOf(components);
    }

    public record Component(int seq, String layer, String provider, String model, String unit, BigDecimal quantity) {
    }
}
