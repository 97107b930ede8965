package com.voiceledger.ingestion;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One delivery in the webhook log, without its body (fetched on demand). */
public record WebhookEvent(long id, String source, Instant receivedAt, @Nullable String messageType,
        @Nullable String callId, WebhookEventStatus status, @Nullable String error) {
}
