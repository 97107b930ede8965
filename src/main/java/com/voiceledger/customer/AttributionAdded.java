package com.voiceledger.customer;

import com.voiceledger.shared.CustomerId;

/** Published when a mapping is added, so that calls kept unattributed can be given their customer. */
public record AttributionAdded(CustomerId customerId, AttributionType type, String value) {
}
