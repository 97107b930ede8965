package com.voiceledger.revenue;

import com.voiceledger.shared.Money;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One month's revenue of one customer (or of every customer billing in one currency): recognized by
 * category, the deferred roll-forward {@code opening + added − recognized − breakage = closing}, and the
 * check that {@code recognized.total + (closing − opening)} equals what the month's documents billed.
 */
public record RollForward(YearMonth month, String currency, Map<Category, BigDecimal> recognized, BigDecimal total,
        Deferred deferred, Check check) {

    public RollForward {
        recognized = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recognized));
    }

    /** Deferred revenue of prepaid commitments over the month. */
    public record Deferred(BigDecimal opening, BigDecimal added, BigDecimal recognized, BigDecimal breakage,
            BigDecimal closing) {
    }

    /**
     * @param invoiced the month's documents: invoices' subtotal + credits, plus credit notes
     * @param explained recognized total + (closing − opening)
     */
    public record Check(boolean ok, BigDecimal invoiced, BigDecimal explained, BigDecimal difference) {
    }

    /**
     * The month's figures from entries of one customer or one currency: those of {@code month} give the
     * month's movements, those before it the opening balance.
     */
    public static RollForward of(YearMonth month, String currency, Collection<Entry> entries) {
        BigDecimal zero = Money.round(BigDecimal.ZERO, currency);
        Map<Category, BigDecimal> sums = new LinkedHashMap<>();
        for (Category category : Category.values()) {
            sums.put(category, zero);
        }
        BigDecimal opening = zero;
        for (Entry entry : entries) {
            if (entry.month().equals(month)) {
                sums.merge(entry.category(), entry.amount(), BigDecimal::add);
            } else if (entry.month().isBefore(month)) {
                opening = opening.add(deferredChange(entry));
            }
        }
        Map<Category, BigDecimal> recognized = new LinkedHashMap<>();
        BigDecimal total = zero;
        for (Category category : Category.REVENUE) {
            recognized.put(category, sums.get(category));
            total = total.add(sums.get(category));
        }
        BigDecimal added = sums.get(Category.DEFERRED_ADDED);
        BigDecimal drawn = sums.get(Category.DEFERRED_DRAWN);
        BigDecimal breakage = sums.get(Category.BREAKAGE);
        BigDecimal closing = opening.add(added).subtract(drawn).subtract(breakage);
        BigDecimal invoiced = sums.get(Category.INVOICED);
        BigDecimal explained = total.add(closing.subtract(opening));
        return new RollForward(month, currency, recognized, total,
                new Deferred(opening, added, drawn, breakage, closing),
                new Check(explained.compareTo(invoiced) == 0, invoiced, explained, explained.subtract(invoiced)));
    }

    /** How an entry moves the deferred balance. */
    static BigDecimal deferredChange(Entry entry) {
        return switch (entry.category()) {
            case DEFERRED_ADDED -> entry.amount();
            case DEFERRED_DRAWN, BREAKAGE -> entry.amount().negate();
            default -> BigDecimal.ZERO;
        };
    }
}
