package com.voiceledger.billing;

import com.voiceledger.shared.CustomerId;

/** A credit note was issued against a final invoice (published in the issuing transaction). */
public record CreditNoteIssued(long creditNoteId, long invoiceId, CustomerId customerId, String number) {
}
