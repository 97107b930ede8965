package com.voiceledger.usage;

import com.voiceledger.shared.CustomerId;
import java.time.Instant;

/** Calls kept unattributed now belong to a customer; the earliest of them started at {@code from}. */
public record CallsAttributed(CustomerId customerId, int calls, Instant from) {
}
