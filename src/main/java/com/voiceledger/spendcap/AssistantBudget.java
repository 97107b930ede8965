package com.voiceledger.spendcap;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One assistant's monthly budget (a cost centre) and how it stands this billing month: rated charges plus the
 * assistant's calls in progress. {@code percent} null when nothing is spent.
 */
public record AssistantBudget(String assistantId, BigDecimal monthlyAmount, List<Integer> thresholds, String currency,
        BigDecimal spent, BigDecimal remaining, @Nullable Integer percent) {
}
