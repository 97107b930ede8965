package com.voiceledger.customer;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;
import java.time.ZoneId;

/** A customer as other modules see it. */
public record Customer(CustomerId id, String externalId, String name, String currency, ZoneId billingTimeZone,
        Instant createdAt) {
}
