package com.voiceledger.ingestion;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One delivery in the webhook log, without its body (fetched on demand). {@code bodyPurgedAt}: when the
 * retention job removed the body of this processed delivery (docs/decisions/0053), null while it is kept.
 */
public record WebhookEvent(long id, String source, Instant receivedAt, @Nullable String messageType,
        @Nullable String callId, WebhookEventStatus status, @Nullable String error, @Nullable Instant bodyPurgedAt) {
}
