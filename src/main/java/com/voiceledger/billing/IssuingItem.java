package com.voiceledger.billing;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;
import java.time.YearMonth;
import org.jspecify.annotations.Nullable;

/** A not yet final invoice that needs finance's eye: finalizing soon, held or failed. */
public record IssuingItem(long invoiceId, CustomerId customerId, YearMonth month, String status,
        @Nullable Instant finalizesAt, @Nullable String reason) {
}
