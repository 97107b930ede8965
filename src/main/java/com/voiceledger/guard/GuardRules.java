package com.voiceledger.guard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The cost guard rules as pure functions of a call (and, for two of them, of the customer's recent
 * history). Each returns the finding with its evidence, or nothing.
 */
public final class GuardRules {

    static final int SILENT_TURNS = 2;
    static final int SHORT_TURNS = 3;
    static final long SHORT_TURN_MILLIS = 900;
    static final int RETRIES_PER_DAY = 2;
    static final Duration RETRY_GAP = Duration.ofMinutes(5);
    static final int OUTLIER_FACTOR = 3;

    private GuardRules() {
    }

    /** ≥ 2 consecutive empty user turns while the bot keeps prompting; the rest of the call is wasted. */
    public static Optional<Finding> silenceLoop(CallFacts call) {
        int run = 0;
        int longest = 0;
        long firstSilence = -1;
        long runStart = -1;
        boolean botSpokeBetween = true;
        for (CallFacts.Turn turn : call.turns()) {
            if (turn.role().equals("bot")) {
                botSpokeBetween = true;
            } else if (turn.role().equals("user")) {
                if (turn.message().isBlank() && botSpokeBetween) {
                    if (run == 0) {
                        runStart = turn.offsetMillis();
                    }
                    run++;
                    if (run > longest) {
                        longest = run;
                        firstSilence = runStart;
                    }
                } else if (!turn.message().isBlank()) {
                    run = 0;
                }
                botSpokeBetween = false;
            }
        }
        if (longest < SILENT_TURNS) {
            return Optional.empty();
        }
        BigDecimal share = call.durationSeconds() <= 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(Math.max(0, call.durationSeconds() * 1000L - firstSilence))
                        .divide(BigDecimal.valueOf(call.durationSeconds() * 1000L), 4, RoundingMode.HALF_EVEN)
                        .min(BigDecimal.ONE);
        return Optional.of(finding(call, GuardRule.SILENCE_LOOP, longest + " empty user turns in a row from "
                + firstSilence / 1000 + " s while the assistant kept prompting", share));
    }

    /** ≥ 3 user turns cut short (under 0.9 s, or stopping mid-clause) each answered by the bot. */
    public static Optional<Finding> endpointingStorm(CallFacts call) {
        List<String> cut = new ArrayList<>();
        List<CallFacts.Turn> turns = call.turns();
        for (int i = 0; i < turns.size() - 1; i++) {
            CallFacts.Turn turn = turns.get(i);
            if (!turn.role().equals("user") || turn.message().isBlank() || !turns.get(i + 1).role().equals("bot")) {
                continue;
            }
            String text = turn.message().strip();
            boolean midClause = text.matches(".*\\b(and|but|or|so|because|the|a|to|my|I|I'm|with|for|of)$")
                    || text.endsWith(",");
            if (turn.durationMillis() > 0 && turn.durationMillis() < SHORT_TURN_MILLIS || midClause) {
                cut.add("\"" + text + "\" at " + turn.offsetMillis() / 1000 + " s");
            }
        }
        return cut.size() < SHORT_TURNS ? Optional.empty()
                : Optional.of(finding(call, GuardRule.ENDPOINTING_STORM, cut.size()
                        + " user turns cut short and answered: " + String.join("; ", cut.subList(0, Math.min(5, cut.size()))),
                        BigDecimal.ZERO));
    }

    /** The same tool with the same arguments called more than once in a call. */
    public static Optional<Finding> duplicateToolCalls(CallFacts call) {
        Map<String, Integer> counts = new HashMap<>();
        call.turns().forEach(turn -> turn.toolCalls().forEach(tool -> counts.merge(tool, 1, Integer::sum)));
        List<String> repeated = counts.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " × " + e.getValue()).sorted().toList();
        return repeated.isEmpty() ? Optional.empty()
                : Optional.of(finding(call, GuardRule.DUPLICATE_TOOL_CALL, "repeated: " + String.join("; ", repeated),
                        BigDecimal.ZERO));
    }

    /**
     * More than 2 outbound attempts to the same number in a day, or an attempt within 5 minutes of the
     * previous one. {@code earlierAttempts}: start times of the customer's earlier outbound calls to
     * that number the same day.
     */
    public static Optional<Finding> retryAmplification(CallFacts call, List<Instant> earlierAttempts) {
        if (!"outboundPhoneCall".equals(call.type()) || call.customerNumber() == null) {
            return Optional.empty();
        }
        List<Instant> before = earlierAttempts.stream().filter(t -> t.isBefore(call.callTime())).sorted().toList();
        int attempts = before.size() + 1;
        Instant previous = before.isEmpty() ? null : before.getLast();
        boolean quickRetry = previous != null && Duration.between(previous, call.callTime()).compareTo(RETRY_GAP) < 0;
        if (attempts <= RETRIES_PER_DAY && !quickRetry) {
            return Optional.empty();
        }
        String evidence = "attempt " + attempts + " to " + call.customerNumber() + " today"
                + (quickRetry ? ", " + Duration.between(previous, call.callTime()).toSeconds() + " s after the previous" : "");
        return Optional.of(finding(call, GuardRule.RETRY_AMPLIFICATION, evidence, BigDecimal.ONE));
    }

    /** Longer than 3 × the assistant's rolling P95 (when there is one); the excess is wasted. */
    public static Optional<Finding> durationOutlier(CallFacts call, @Nullable Double p95Seconds) {
        if (p95Seconds == null || p95Seconds <= 0 || call.durationSeconds() <= OUTLIER_FACTOR * p95Seconds) {
            return Optional.empty();
        }
        double limit = OUTLIER_FACTOR * p95Seconds;
        BigDecimal share = BigDecimal.valueOf((call.durationSeconds() - limit) / call.durationSeconds())
                .setScale(4, RoundingMode.HALF_EVEN);
        return Optional.of(finding(call, GuardRule.DURATION_OUTLIER, call.durationSeconds() + " s against a P95 of "
                + Math.round(p95Seconds) + " s for this assistant (limit " + Math.round(limit) + " s)", share));
    }

    /** The platform cut the call at its maximum duration. */
    public static Optional<Finding> maxDuration(CallFacts call) {
        return "exceeded-max-duration".equals(call.endedReason())
                ? Optional.of(finding(call, GuardRule.MAX_DURATION, "ended by exceeded-max-duration after "
                        + call.durationSeconds() + " s", BigDecimal.ZERO))
                : Optional.empty();
    }

    /** A call charged more than the threshold. */
    public static Optional<Finding> expensiveCall(String callId, Instant callTime, BigDecimal charge, BigDecimal threshold,
            String currency) {
        return charge.compareTo(threshold) > 0
                ? Optional.of(new Finding(callId, GuardRule.EXPENSIVE_CALL, "charged " + charge.setScale(4,
                        RoundingMode.HALF_EVEN).toPlainString() + " " + currency + ", above " + threshold.toPlainString(),
                        BigDecimal.ZERO, BigDecimal.ZERO, callTime))
                : Optional.empty();
    }

    private static Finding finding(CallFacts call, GuardRule rule, String evidence, BigDecimal share) {
        return new Finding(call.callId(), rule, evidence, share, BigDecimal.ZERO, call.callTime());
    }
}
