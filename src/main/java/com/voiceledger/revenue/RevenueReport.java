package com.voiceledger.revenue;

import java.time.YearMonth;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A month's revenue: one roll-forward per currency (the totals), one per customer, and whether the
 * month is locked.
 */
public record RevenueReport(YearMonth month, boolean locked, @Nullable YearMonth lockedThrough,
        List<RollForward> currencies, List<CustomerRevenue> customers) {

    public RevenueReport {
        currencies = List.copyOf(currencies);
        customers = List.copyOf(customers);
    }

    /** Every roll-forward of the month reconciles to its documents. */
    public boolean reconciles() {
        return currencies.stream().allMatch(figures -> figures.check().ok());
    }

    /** One customer's month. */
    public record CustomerRevenue(String externalId, String name, RollForward figures) {
    }
}
