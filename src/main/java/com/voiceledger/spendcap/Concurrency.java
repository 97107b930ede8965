package com.voiceledger.spendcap;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Calls in progress against the contract's limits ({@code limit} null: none), and the most at once today in the
 * customer's billing time zone: what {@code GET /api/v1/concurrency} answers.
 */
public record Concurrency(@Nullable Integer limit, int inUse, int peakToday, List<ByAssistant> byAssistant) {

    public record ByAssistant(String assistantId, @Nullable Integer limit, int inUse) {
    }
}
