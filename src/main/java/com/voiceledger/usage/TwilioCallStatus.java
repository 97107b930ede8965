package com.voiceledger.usage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Twilio's status callback for one call leg, identified by its CallSid. */
public record TwilioCallStatus(String callSid, @Nullable String accountSid, String callStatus,
        @Nullable String direction, @Nullable String from, @Nullable String to, @Nullable Integer durationSeconds,
        int sequenceNumber, @Nullable Instant occurredAt) {
}
