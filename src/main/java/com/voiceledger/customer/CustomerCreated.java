package com.voiceledger.customer;

import com.voiceledger.shared.CustomerId;

/** Published when a customer is created: calls that named its external id in metadata now match. */
public record CustomerCreated(CustomerId customerId, String externalId) {
}
