package com.voiceledger.usage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A step of a call's life (queued, ringing, in-progress, ..., ended) as the platform reported it. */
public record CallStatusUpdate(CallIdentity call, String status, Instant occurredAt, @Nullable String endedReason) {
}
