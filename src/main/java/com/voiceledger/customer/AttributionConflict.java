package com.voiceledger.customer;

import java.time.Instant;

/**
 * A call's metadata claimed one customer while a mapping says another: the mapping decided (unless
 * metadata is trusted), and finance looks at why. {@code hintType} is assistantId, phoneNumberId or orgId.
 */
public record AttributionConflict(String claimedCustomer, String mappedCustomer, String hintType, String hintValue,
        Instant firstSeenAt, Instant lastSeenAt) {
}
