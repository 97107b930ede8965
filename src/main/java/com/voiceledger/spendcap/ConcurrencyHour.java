package com.voiceledger.spendcap;

import java.time.Instant;

/** The most calls a customer had in progress at once within one hour (a UTC hour starting at {@code hour}). */
public record ConcurrencyHour(Instant hour, int peak) {
}
