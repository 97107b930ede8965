package com.voiceledger.contract;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;

/** A customer's contract from {@code effectiveFrom} until the next one takes effect. */
public record Contract(long id, CustomerId customerId, Instant effectiveFrom, String currency, ContractTerms terms,
        String reason, String createdBy, Instant createdAt) {

    /** Id of a contract that is being drafted (previews), never stored. */
    public static final long DRAFT = 0;

    public String label() {
        return id == DRAFT ? "draft contract" : "contract " + id;
    }
}
