package com.voiceledger.billing;

import com.voiceledger.billing.InvoiceDraft.CommitmentMove;
import com.voiceledger.billing.InvoiceDraft.CreditUse;
import com.voiceledger.billing.InvoiceInput.CommitmentState;
import com.voiceledger.billing.InvoiceInput.GrantBalance;
import com.voiceledger.billing.InvoiceInput.PerMinuteTerms;
import com.voiceledger.rating.ChargeGroup;
import com.voiceledger.rating.PerMinuteGroup;
import com.voiceledger.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BILLING-RULES §3–5 as one pure function from {@link InvoiceInput} to {@link InvoiceDraft}: usage
 * lines, per-minute voice minutes after included minutes, minimum-charge top-ups, late usage,
 * commitment overage and true-up or prepaid drawdown, then credits in their order. Each line is
 * rounded once, half-even, to the minor unit; totals are sums of lines.
 */
public final class InvoiceCalculator {

    static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    private InvoiceCalculator() {
    }

    public static InvoiceDraft calculate(InvoiceInput input) {
        String currency = input.currency();
        List<InvoiceLine> lines = new ArrayList<>();
        for (ChargeGroup group : input.charges()) {
            lines.add(chargeLine(group, input));
        }
        BigDecimal includedLeft = input.perMinute().stream().filter(g -> !g.late()).findFirst()
                .map(g -> terms(input, g).includedMinutes()).orElse(BigDecimal.ZERO);
        for (PerMinuteGroup group : input.perMinute()) {
            PerMinuteTerms terms = terms(input, group);
            BigDecimal minutes = BigDecimal.valueOf(group.billableSeconds()).divide(SIXTY, 6, RoundingMode.HALF_EVEN);
            BigDecimal included = group.late() ? BigDecimal.ZERO : includedLeft.min(minutes);
            includedLeft = includedLeft.subtract(included);
            // (billable seconds − included seconds) × rate / 60, rounded once
            BigDecimal billedSeconds = BigDecimal.valueOf(group.billableSeconds()).subtract(included.multiply(SIXTY));
            BigDecimal amount = Money.round(billedSeconds.multiply(terms.rate()).divide(SIXTY, 12, RoundingMode.HALF_EVEN),
                    currency);
            Map<String, Object> explanation = calls(input, group.calls(), group.firstCall(), group.lastCall());
            explanation.put("billableMinutes", minutes.stripTrailingZeros().toPlainString());
            explanation.put("includedMinutes", included.stripTrailingZeros().toPlainString());
            explanation.put("priceSource", terms.contract() + ": " + terms.rate().toPlainString() + " " + currency
                    + " per minute, billed in " + terms.incrementSeconds() + " s increments");
            lines.add(new InvoiceLine(group.late() ? LineKind.LATE_USAGE : LineKind.USAGE,
                    (group.late() ? "Late usage: voice minutes" : "Voice minutes")
                            + (included.signum() > 0 ? " beyond " + included.stripTrailingZeros().toPlainString()
                                    + " included" : ""),
                    billedSeconds.divide(SIXTY, 4, RoundingMode.HALF_EVEN).stripTrailingZeros(), "minute",
                    terms.rate(), amount, explanation));
            if (group.topUps().signum() > 0) {
                Map<String, Object> topUp = calls(input, group.callsToppedUp(), group.firstCall(), group.lastCall());
                topUp.put("priceSource", terms.contract() + ": minimum charge " + terms.minimumCharge().toPlainString()
                        + " per connected call");
                topUp.put("rule", "per call: max(0, minimum charge − billable minutes × rate)");
                lines.add(new InvoiceLine(group.late() ? LineKind.LATE_USAGE : LineKind.MINIMUM_CHARGE,
                        (group.late() ? "Late usage: " : "") + "Minimum charge top-ups",
                        BigDecimal.valueOf(group.callsToppedUp()), "call", null, Money.round(group.topUps(), currency),
                        topUp));
            }
        }
        InvoiceInput.TelephonyDelta delta = input.telephonyDelta();
        if (delta != null && delta.minutes().signum() > 0) {
            Map<String, Object> explanation = new LinkedHashMap<>();
            explanation.put("calls", delta.calls());
            explanation.put("priceSource", delta.priceSource());
            explanation.put("rule", "Twilio's billed minutes (CallDuration rounded up per call) beyond the platform's "
                    + "transport minutes, on calls where they differ; see the reconciliation report");
            lines.add(new InvoiceLine(LineKind.USAGE, "Telephony reconciliation: minutes billed by Twilio beyond those "
                    + "reported", delta.minutes(), "minute", delta.unitPrice(),
                    Money.round(delta.minutes().multiply(delta.unitPrice()), currency), explanation));
        }
        BigDecimal usage = sum(lines.stream().filter(l -> l.kind() == LineKind.USAGE
                || l.kind() == LineKind.MINIMUM_CHARGE).toList());
        List<CommitmentMove> moves = new ArrayList<>();
        if (input.commitment() != null) {
            commitmentLines(input, input.commitment(), usage, lines, moves);
        }
        List<CreditUse> uses = new ArrayList<>();
        creditLines(input, sum(lines), lines, uses);

        // sums of amounts already rounded to the minor unit: the rounding below only sets the scale
        BigDecimal subtotal = Money.round(sum(lines.stream().filter(l -> l.kind() != LineKind.CREDIT).toList()), currency);
        BigDecimal credits = Money.round(sum(lines.stream().filter(l -> l.kind() == LineKind.CREDIT).toList()), currency);
        return new InvoiceDraft(input.month(), currency, lines, subtotal, credits, subtotal.add(credits).max(
                Money.round(BigDecimal.ZERO, currency)), uses, moves);
    }

    private static InvoiceLine chargeLine(ChargeGroup group, InvoiceInput input) {
        Map<String, Object> explanation = calls(input, group.calls(), group.firstCall(), group.lastCall());
        explanation.put("priceSource", String.join("; ", group.sources()));
        String what = group.layer() + " " + group.provider() + " " + group.model() + " " + group.unit();
        if (group.unpriced()) {
            explanation.put("unpriced", "no price was found; finance has it in the unpriced usage queue");
        }
        BigDecimal billed = group.quantity();
        if (!group.grants().isEmpty()) {
            // BILLING-RULES §7: the units grants covered are not priced; the line bills the rest
            List<Map<String, Object>> grants = new ArrayList<>();
            for (ChargeGroup.GrantUse use : group.grants()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("grantId", use.grantId());
                entry.put("units", use.units().toPlainString());
                grants.add(entry);
            }
            explanation.put("grant", grants);
            explanation.put("reportedQuantity", group.quantity().toPlainString());
            explanation.put("coveredByGrants", group.coveredUnits().stripTrailingZeros().toPlainString());
            billed = group.quantity().subtract(group.coveredUnits()).stripTrailingZeros();
        }
        return new InvoiceLine(group.late() ? LineKind.LATE_USAGE : LineKind.USAGE,
                (group.late() ? "Late usage: " : "") + what + (group.unpriced() ? " (not priced yet)" : ""),
                billed, group.unit(), group.billedUnitPrice(), Money.round(group.charge(), input.currency()),
                explanation);
    }

    /** Overage and true-up (postpaid) or the prepaid amount and its drawdown (BILLING-RULES §3). */
    private static void commitmentLines(InvoiceInput input, CommitmentState state, BigDecimal usage,
            List<InvoiceLine> lines, List<CommitmentMove> moves) {
        String currency = input.currency();
        BigDecimal amount = state.terms().amount();
        String period = state.terms().period().name().toLowerCase();
        BigDecimal multiplier = state.overageMultiplier();
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("commitment", amount.toPlainString() + " " + currency + " per " + period + " from "
                + state.periodStart() + " (" + state.contract() + ")");
        base.put("usageEarlierInPeriod", state.usageBefore().toPlainString());
        base.put("usageThisMonth", usage.toPlainString());
        moves.add(new CommitmentMove("USAGE", state.periodStart(), usage));
        if (state.terms().prepaid()) {
            BigDecimal available = state.prepaidBalanceBefore();
            if (state.firstMonth()) {
                BigDecimal prepaid = Money.round(amount, currency);
                lines.add(new InvoiceLine(LineKind.PREPAID_COMMITMENT, "Prepaid commitment for the " + period,
                        BigDecimal.ONE, period, prepaid, prepaid, base));
                moves.add(new CommitmentMove("PREPAID", state.periodStart(), prepaid));
                available = available.add(prepaid);
            }
            BigDecimal drawn = Money.round(usage.min(available).max(BigDecimal.ZERO), currency);
            if (drawn.signum() > 0) {
                Map<String, Object> explanation = new LinkedHashMap<>(base);
                explanation.put("prepaidLeftBefore", available.toPlainString());
                explanation.put("prepaidLeftAfter", available.subtract(drawn).toPlainString());
                lines.add(new InvoiceLine(LineKind.PREPAID_COMMITMENT, "Usage drawn from the prepaid commitment",
                        null, null, null, drawn.negate(), explanation));
                moves.add(new CommitmentMove("PREPAID_DRAWN", state.periodStart(), drawn));
            }
            BigDecimal beyond = usage.subtract(drawn);
            addOverage(lines, base, multiplier, beyond, currency);
            return;
        }
        BigDecimal before = state.usageBefore();
        BigDecimal after = before.add(usage);
        // usage beyond the commitment within the period, counted in the month it happened
        BigDecimal overage = after.subtract(amount).max(BigDecimal.ZERO).subtract(before.subtract(amount).max(BigDecimal.ZERO));
        addOverage(lines, base, multiplier, overage, currency);
        if (state.lastMonth()) {
            BigDecimal shortfall = amount.subtract(after).max(BigDecimal.ZERO);
            if (shortfall.signum() > 0) {
                Map<String, Object> explanation = new LinkedHashMap<>(base);
                explanation.put("rule", "max(0, commitment − usage in the period) = " + amount.toPlainString() + " − "
                        + after.toPlainString());
                BigDecimal trueUp = Money.round(shortfall, currency);
                lines.add(new InvoiceLine(LineKind.COMMITMENT_TRUE_UP, "Commitment true-up for the " + period,
                        null, null, null, trueUp, explanation));
                moves.add(new CommitmentMove("TRUE_UP", state.periodStart(), trueUp));
            }
        }
    }

    private static void addOverage(List<InvoiceLine> lines, Map<String, Object> base, BigDecimal multiplier,
            BigDecimal overage, String currency) {
        if (multiplier.compareTo(BigDecimal.ONE) == 0 || overage.signum() <= 0) {
            return;
        }
        Map<String, Object> explanation = new LinkedHashMap<>(base);
        explanation.put("overageUsage", overage.toPlainString());
        explanation.put("rule", "(overage multiplier − 1) × overage usage = (" + multiplier.toPlainString() + " − 1) × "
                + overage.toPlainString());
        lines.add(new InvoiceLine(LineKind.OVERAGE, "Overage beyond the commitment", overage, currency,
                multiplier.subtract(BigDecimal.ONE), Money.round(multiplier.subtract(BigDecimal.ONE).multiply(overage),
                        currency), explanation));
    }

    /** Eligible grants, in order of priority, then soonest expiry (none last), then oldest (BILLING-RULES §4). */
    private static void creditLines(InvoiceInput input, BigDecimal due, List<InvoiceLine> lines, List<CreditUse> uses) {
        BigDecimal left = due;
        List<GrantBalance> eligible = input.grants().stream()
                .filter(g -> g.effectiveFrom().isBefore(input.periodEnd()))
                .filter(g -> g.expiresAt() == null || !g.expiresAt().isBefore(input.periodEnd()))
                .filter(g -> g.balance().signum() > 0)
                .sorted(Comparator.comparingInt(GrantBalance::priority)
                        .thenComparing(GrantBalance::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(GrantBalance::effectiveFrom))
                .toList();
        for (GrantBalance grant : eligible) {
            if (left.signum() <= 0) {
                break;
            }
            BigDecimal given = grant.balance().min(left);
            left = left.subtract(given);
            Map<String, Object> explanation = new LinkedHashMap<>();
            explanation.put("grant", grant.grantId());
            explanation.put("reason", grant.reason());
            explanation.put("balanceBefore", grant.balance().toPlainString());
            explanation.put("balanceAfter", grant.balance().subtract(given).toPlainString());
            explanation.put("priority", grant.priority());
            explanation.put("expiresAt", grant.expiresAt() == null ? "never" : grant.expiresAt().toString());
            lines.add(new InvoiceLine(LineKind.CREDIT, "Credit: " + grant.reason(), null, null, null,
                    Money.round(given, input.currency()).negate(), explanation));
            uses.add(new CreditUse(grant.grantId(), Money.round(given, input.currency())));
        }
    }

    private static Map<String, Object> calls(InvoiceInput input, long count, Instant first, Instant last) {
        Map<String, Object> explanation = new LinkedHashMap<>();
        explanation.put("calls", count);
        explanation.put("firstCall", first.toString());
        explanation.put("lastCall", last.toString());
        explanation.put("callsLink", input.callsLink() + "from=" + first + "&to=" + last.plusMillis(1));
        return explanation;
    }

    private static PerMinuteTerms terms(InvoiceInput input, PerMinuteGroup group) {
        PerMinuteTerms terms = input.perMinuteTerms().get(group.contractId());
        if (terms == null) {
            throw new IllegalStateException("no per-minute terms for contract " + group.contractId());
        }
        return terms;
    }

    private static BigDecimal sum(List<InvoiceLine> lines) {
        return lines.stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static String monthLabel(YearMonth month) {
        return DateTimeFormatter.ofPattern("MMMM yyyy", java.util.Locale.ENGLISH).format(month.atDay(1));
    }

}
