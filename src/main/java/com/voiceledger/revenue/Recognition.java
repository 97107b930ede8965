package com.voiceledger.revenue;

import com.voiceledger.revenue.Document.PrepaidPeriod;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * BILLING-RULES §6 as pure functions: in which month a document is recognized, and what it recognizes
 * there, category by category, with the breakage of prepaid periods. No Spring, no database.
 * See docs/decisions/0039-revenue-recognition.md.
 */
public final class Recognition {

    private Recognition() {
    }

    /**
     * A document belongs to its own month unless that month was locked before it was recognized there:
     * then to the first open month after the lock. Documents already in a locked month's figures are not
     * asked (their month is stored with them).
     */
    public static YearMonth monthOf(Document document, @Nullable YearMonth lockedThrough) {
        if (lockedThrough == null || document.month().isAfter(lockedThrough)) {
            return document.month();
        }
        return lockedThrough.plusMonths(1);
    }

    /**
     * The entries of every document not yet in a locked month ({@code locked}: ids of those that are).
     * {@code documents} must hold every document of the customers' prepaid periods (locked ones too).
     *
     * <p>Breakage is what a prepaid period leaves: what its invoices added − what they drew, taken with the
     * invoice of the period's last month. If that invoice is already locked when another invoice of the
     * period is recognized (one held past a lock), that invoice adjusts the breakage by its own
     * added − drawn, so a finished period never leaves anything deferred (decision 0039).
     */
    public static List<Entry> recognize(List<Document> documents, Set<Long> locked, @Nullable YearMonth lockedThrough) {
        Map<PeriodKey, List<Document>> byPeriod = new HashMap<>();
        Map<MonthKey, Document> invoiceOfMonth = new HashMap<>();
        for (Document document : documents) {
            if (!document.creditNote()) {
                invoiceOfMonth.put(new MonthKey(document.customer(), document.month()), document);
            }
            if (document.prepaidPeriod() != null) {
                byPeriod.computeIfAbsent(new PeriodKey(document.customer(), document.prepaidPeriod()),
                        key -> new ArrayList<>()).add(document);
            }
        }
        Map<Long, BigDecimal> breakageOf = new HashMap<>();
        byPeriod.forEach((key, ofPeriod) -> {
            Document closing = invoiceOfMonth.get(new MonthKey(key.customer(), key.period().lastMonth()));
            if (closing == null) {
                return;
            }
            if (!locked.contains(closing.id())) {
                BigDecimal unused = ofPeriod.stream().map(Recognition::unused).reduce(BigDecimal.ZERO, BigDecimal::add);
                if (unused.signum() != 0) {
                    breakageOf.merge(closing.id(), unused, BigDecimal::add);
                }
                return;
            }
            for (Document late : ofPeriod) {
                if (!locked.contains(late.id()) && unused(late).signum() != 0) {
                    breakageOf.merge(late.id(), unused(late), BigDecimal::add);
                }
            }
        });
        List<Entry> entries = new ArrayList<>();
        for (Document document : documents) {
            if (locked.contains(document.id())) {
                continue;
            }
            YearMonth month = monthOf(document, lockedThrough);
            entries.add(entry(month, document, Category.INVOICED, document.invoiced()));
            for (Category category : Category.values()) {
                BigDecimal amount = document.amount(category);
                if (category != Category.INVOICED && category != Category.BREAKAGE && amount.signum() != 0) {
                    entries.add(entry(month, document, category, amount));
                }
            }
            BigDecimal breakage = breakageOf.get(document.id());
            if (breakage != null) {
                entries.add(entry(month, document, Category.BREAKAGE, breakage));
            }
        }
        return entries;
    }

    /** What one invoice adds to its prepaid period less what it draws from it. */
    private static BigDecimal unused(Document document) {
        return document.amount(Category.DEFERRED_ADDED).subtract(document.amount(Category.DEFERRED_DRAWN));
    }

    private static Entry entry(YearMonth month, Document document, Category category, BigDecimal amount) {
        return new Entry(month, document.id(), document.number(), document.customer(), document.currency(), category,
                amount, document.month());
    }

    private record PeriodKey(CustomerId customer, PrepaidPeriod period) {
    }

    private record MonthKey(CustomerId customer, YearMonth month) {
    }
}
