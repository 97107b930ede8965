package com.voiceledger.stripe;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Where an invoice stands with Stripe: pushed or not (and why not), and whether it was paid. */
public record InvoicePush(long invoiceId, String status, @Nullable String stripeInvoiceId, int attempts,
        @Nullable String error, String paymentStatus, Instant updatedAt) {
}
