package com.voiceledger.rating;

import com.voiceledger.contract.CommitmentPeriod;
import com.voiceledger.contract.UnitGrant;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * BILLING-RULES §7 as pure functions: which grant buckets a call's components draw from, how many units each
 * takes, and what is left to price. No Spring, no database, no clock; the balances come in, the draws go out.
 */
public final class GrantDrawing {

    private GrantDrawing() {
    }

    /**
     * Units a call may draw: one grant's units of one period ({@code rolledOver}: the units carried into it from
     * the period before). {@code order}: the grant's place in its contract (created first, drawn first);
     * {@code units}: what the bucket held at the period's start, {@code remaining}: what is left of it now.
     */
    public record Bucket(UnitGrant grant, int order, LocalDate periodStart, boolean rolledOver, BigDecimal units,
            BigDecimal remaining) {
    }

    /** What one component took from one bucket. */
    public record Draw(int seq, String grantId, LocalDate periodStart, boolean rolledOver, BigDecimal units) {
    }

    /** Drawing order: most specific first, then rolled-over units before the period's own, then the older grant. */
    static final Comparator<Bucket> ORDER = Comparator.<Bucket>comparingInt(b -> -b.grant().specificity())
            .thenComparing(b -> !b.rolledOver())
            .thenComparingInt(Bucket::order);

    /**
     * Draws the components in their order (a call's components are drawn one after another, each from what the
     * ones before it left): each takes {@code min(remaining, quantity)} from each matching bucket in order until
     * its quantity is covered. Units are exact (no rounding).
     */
    public static List<Draw> draw(List<CallToRate.Component> components, List<Bucket> buckets) {
        List<Bucket> ordered = new ArrayList<>(buckets);
        ordered.sort(ORDER);
        BigDecimal[] left = new BigDecimal[ordered.size()];
        for (int i = 0; i < left.length; i++) {
            left[i] = ordered.get(i).remaining().max(BigDecimal.ZERO);
        }
        List<Draw> draws = new ArrayList<>();
        for (CallToRate.Component component : components) {
            BigDecimal wanted = component.quantity();
            for (int i = 0; i < left.length && wanted.signum() > 0; i++) {
                Bucket bucket = ordered.get(i);
                if (left[i].signum() <= 0 || !bucket.grant().covers(component.layer(), component.provider(),
                        component.model(), component.unit())) {
                    continue;
                }
                BigDecimal units = left[i].min(wanted);
                left[i] = left[i].subtract(units);
                wanted = wanted.subtract(units);
                draws.add(new Draw(component.seq(), bucket.grant().grantId(), bucket.periodStart(),
                        bucket.rolledOver(), units.stripTrailingZeros()));
            }
        }
        return draws;
    }

    /** The units each component drew, by seq (0 for a component that drew nothing). */
    public static BigDecimal covered(List<Draw> draws, int seq) {
        return draws.stream().filter(d -> d.seq() == seq).map(Draw::units).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * The call priced on what the grants left: each component's charge is (quantity − units drawn) × its billed
     * unit price (markup included), the call's charge their sum. Unpriced components stay unpriced (0); the price
     * sources are unchanged (the invoice line says which grants covered what).
     */
    public static RatedCall apply(RatedCall rated, CallToRate call, List<Draw> draws) {
        if (draws.isEmpty()) {
            return rated;
        }
        List<RatedCall.Component> components = new ArrayList<>(rated.components().size());
        BigDecimal total = BigDecimal.ZERO;
        for (RatedCall.Component component : rated.components()) {
            BigDecimal covered = covered(draws, component.seq());
            RatedCall.Component charged = component;
            if (covered.signum() > 0 && component.billedUnitPrice() != null) {
                BigDecimal rest = quantityOf(call, component.seq()).subtract(covered);
                charged = new RatedCall.Component(component.seq(), component.unitPrice(), component.billedUnitPrice(),
                        rest.multiply(component.billedUnitPrice()), component.rateSource(), component.unpriced());
            }
            components.add(charged);
            total = total.add(charged.charge());
        }
        return new RatedCall(rated.callId(), rated.pricingModel(), rated.rateVersion(), rated.contractId(),
                rated.currency(), total, rated.billableSeconds(), rated.minimumTopUp(), rated.unpriced(),
                rated.rateSource(), components);
    }

    private static BigDecimal quantityOf(CallToRate call, int seq) {
        return call.components().stream().filter(c -> c.seq() == seq).findFirst().orElseThrow().quantity();
    }

    /** The first day of the calendar period holding {@code day}. */
    public static LocalDate periodStart(LocalDate day, CommitmentPeriod period) {
        return switch (period) {
            case MONTH -> day.withDayOfMonth(1);
            case QUARTER -> LocalDate.of(day.getYear(), ((day.getMonthValue() - 1) / 3) * 3 + 1, 1);
            case YEAR -> LocalDate.of(day.getYear(), 1, 1);
        };
    }

    /** The first day of the period after the one starting at {@code start}. */
    public static LocalDate nextPeriod(LocalDate start, CommitmentPeriod period) {
        return switch (period) {
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
            case YEAR -> start.plusYears(1);
        };
    }

    /** The first day of the period before the one starting at {@code start}. */
    public static LocalDate previousPeriod(LocalDate start, CommitmentPeriod period) {
        return switch (period) {
            case MONTH -> start.minusMonths(1);
            case QUARTER -> start.minusMonths(3);
            case YEAR -> start.minusYears(1);
        };
    }

    /**
     * What a period's unused units carry into the next: {@code max(0, amount − drawn from the period's own
     * units)} up to the grant's cap. Units rolled over into the period never roll over again.
     */
    public static BigDecimal rollover(UnitGrant grant, BigDecimal drawnFromOwn) {
        BigDecimal unused = grant.amount().subtract(drawnFromOwn).max(BigDecimal.ZERO);
        return unused.min(grant.rolloverCap()).stripTrailingZeros();
    }
}
