package com.voiceledger.billing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A month-end close of one customer or all, with its progress and per-customer outcome. */
public record BillingRun(long id, YearMonth month, @Nullable Long customerId, String status, int total, int done,
        int failed, String createdBy, Instant createdAt, @Nullable Instant finishedAt, List<Result> results) {

    public BillingRun {
        results = List.copyOf(results);
    }

    /** INVOICED, ALREADY_CLOSED or FAILED (with the error). */
    public record Result(long customerId, String outcome, @Nullable Long invoiceId, @Nullable String error) {
    }

    public int percent() {
        return total == 0 ? (status.equals("DONE") ? 100 : 0) : Math.min(100, (done + failed) * 100 / total);
    }
}
