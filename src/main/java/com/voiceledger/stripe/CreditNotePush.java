package com.voiceledger.stripe;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where a credit note stands with Stripe (decision 0078): pushed or not and why not. PENDING while the invoice it
 * corrects is not in Stripe yet.
 */
public record CreditNotePush(long creditNoteId, long invoiceId, String status, @Nullable String stripeCreditNoteId,
        int attempts, @Nullable String error, Instant updatedAt) {
}
