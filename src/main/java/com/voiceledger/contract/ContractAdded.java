package com.voiceledger.contract;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;

/** A contract was added; the customer's calls from {@code effectiveFrom} on may need re-rating. */
public record ContractAdded(CustomerId customerId, long contractId, Instant effectiveFrom) {
}
