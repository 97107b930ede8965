package com.voiceledger.billing;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A credit grant with its ledger; its balance is the sum of the entries. */
public record CreditGrant(long id, CustomerId customerId, BigDecimal amount, String currency, Instant effectiveFrom,
        @Nullable Instant expiresAt, int priority, String reason, String createdBy, Instant createdAt,
        BigDecimal balance, List<Entry> entries) {

    public CreditGrant {
        entries = List.copyOf(entries);
    }

    public record Entry(long id, Instant at, String kind, BigDecimal amount, @Nullable Long invoiceId, String note) {
    }
}
