package com.voiceledger.usage;

import com.voiceledger.shared.CustomerId;
import java.util.Set;

/**
 * Published once before the {@link CallReported} events of reports recorded together (a group-commit
 * batch): the customers they belong to, so that a listener can prepare for all of them in one round trip
 * instead of one per customer (decision 0048).
 */
public record CallsReportedTogether(Set<CustomerId> customers) {
}
