package com.voiceledger.audit;

import java.time.Instant;

/** One recorded change. {@code detailsJson} holds what changed, as JSON. */
public record AuditEntry(long id, Instant at, String actor, String action, String subject, String reason,
        String detailsJson) {
}
