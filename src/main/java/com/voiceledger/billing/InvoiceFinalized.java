package com.voiceledger.billing;

import com.voiceledger.shared.CustomerId;

/** An invoice was finalised. Published inside the closing transaction (the Stripe push is queued with it). */
public record InvoiceFinalized(long invoiceId, CustomerId customerId, String number) {
}
