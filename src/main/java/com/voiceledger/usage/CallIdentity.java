package com.voiceledger.usage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What any message about a call says about the call itself: who placed it, through which number and
 * assistant, and whose it is ({@code metadataCustomerKey}, taken from the call's metadata). The
 * assistant's and phone number's names are those the payload gives, if any (they name the ids on screens).
 */
public record CallIdentity(String callId, @Nullable String orgId, @Nullable String type,
        @Nullable String assistantId, @Nullable String phoneNumberId, @Nullable String squadId,
        @Nullable String customerNumber, @Nullable String twilioCallSid, @Nullable String metadataCustomerKey,
        @Nullable Instant createdAt, @Nullable String assistantName, @Nullable String phoneNumberName) {

    public CallIdentity(String callId, @Nullable String orgId, @Nullable String type, @Nullable String assistantId,
            @Nullable String phoneNumberId, @Nullable String squadId, @Nullable String customerNumber,
            @Nullable String twilioCallSid, @Nullable String metadataCustomerKey, @Nullable Instant createdAt) {
        this(callId, orgId, type, assistantId, phoneNumberId, squadId, customerNumber, twilioCallSid,
                metadataCustomerKey, createdAt, null, null);
    }
}
