package com.voiceledger.usage;

import com.voiceledger.shared.CustomerId;
import java.util.Map;
import java.util.Set;

/**
 * Published once before the {@link CallReported} events of reports recorded together (a group-commit
 * batch): the customers they belong to, so that a listener can prepare for all of them in one round trip
 * instead of one per customer (decision 0048).
 *
 * <p>{@code calls}: the ids of each customer's calls, so that a listener that cannot take a customer's lock now
 * can say which calls to set aside (decision 0065).
 */
public record CallsReportedTogether(Set<CustomerId> customers, Map<CustomerId, Set<String>> calls) {

    public CallsReportedTogether(Set<CustomerId> customers) {
        this(customers, Map.of());
    }
}
