package com.voiceledger.customer;

import org.jspecify.annotations.Nullable;

/** The fields of a call that may tell whose it is, in the order they are consulted. */
public record CallOwnerHints(@Nullable String metadataCustomerKey, @Nullable String assistantId,
        @Nullable String phoneNumberId, @Nullable String orgId) {
}
