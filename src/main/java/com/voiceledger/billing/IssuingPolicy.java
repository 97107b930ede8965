package com.voiceledger.billing;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a customer's invoices are issued: its grace period (its own, or the default when
 * {@code graceOverridden} is false) and finance's hold (manual issuance: drafts wait for finance).
 */
public record IssuingPolicy(Duration gracePeriod, boolean graceOverridden, boolean hold, @Nullable String holdReason) {
}
