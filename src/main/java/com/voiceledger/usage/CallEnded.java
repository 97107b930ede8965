package com.voiceledger.usage;

import java.time.Instant;

/** The platform said a call ended (a status update {@code ended}): published in the transaction that stores it. */
public record CallEnded(String callId, Instant endedAt) {
}
