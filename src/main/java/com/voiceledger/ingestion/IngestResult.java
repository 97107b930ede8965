package com.voiceledger.ingestion;

import com.voiceledger.usage.CallIdentity;
import org.jspecify.annotations.Nullable;

/** What became of one stored delivery. {@code error} says what was wrong when it FAILED. */
public record IngestResult(long eventId, WebhookEventStatus status, @Nullable String messageType,
        @Nullable String callId, @Nullable String error, @Nullable CallIdentity call) {

    public IngestResult(long eventId, WebhookEventStatus status, @Nullable String messageType, @Nullable String callId,
            @Nullable String error) {
        this(eventId, status, messageType, callId, error, null);
    }

    public boolean failed() {
        return status == WebhookEventStatus.FAILED;
    }
}
