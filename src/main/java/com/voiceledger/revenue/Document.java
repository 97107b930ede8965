package com.voiceledger.revenue;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An issued invoice or credit note in revenue's terms: the month it belongs to before any lock (the
 * invoice's billing month; the month a credit note was issued), its amounts by category (revenue lines
 * and prepaid movements, breakage not yet included) and what it billed.
 *
 * @param prepaidPeriod the prepaid period it added to or drew from; the customer's invoice of the period's
 *        last month takes the period's breakage
 */
public record Document(long id, CustomerId customer, String currency, boolean creditNote, String number,
        YearMonth month, Map<Category, BigDecimal> amounts, BigDecimal invoiced, @Nullable PrepaidPeriod prepaidPeriod) {

    public Document {
        amounts = amounts.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(amounts));
    }

    public BigDecimal amount(Category category) {
        return amounts.getOrDefault(category, BigDecimal.ZERO);
    }

    /** A prepaid commitment period of one customer, from its first day through its last month. */
    public record PrepaidPeriod(LocalDate start, YearMonth lastMonth) {
    }
}
