package com.voiceledger.billing;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An issued invoice or credit note as revenue recognition reads it: its header totals, its lines
 * summed by kind and sign, and the prepaid commitment period its prepaid lines belong to.
 *
 * @param month the billing month (for a credit note: the month of the invoice it corrects)
 * @param lines sums of the document's lines by kind and sign (a kind with lines of both signs gives two)
 * @param prepaidPeriod the prepaid commitment period this invoice added to or drew from, if any
 */
public record BillingDocument(long id, CustomerId customerId, Kind kind, String number, YearMonth month,
        String currency, BigDecimal subtotal, BigDecimal credits, Instant finalizedAt, List<LineSum> lines,
        @Nullable PrepaidPeriod prepaidPeriod) {

    public enum Kind { INVOICE, CREDIT_NOTE }

    public BillingDocument {
        lines = List.copyOf(lines);
    }

    /** What the document asks the customer to pay: subtotal + credits (negative for a credit note). */
    public BigDecimal amount() {
        return subtotal.add(credits);
    }

    /** The sum of a document's lines of one kind and one sign. */
    public record LineSum(LineKind kind, BigDecimal amount) {
    }

    /** A prepaid commitment period: from its first day to its last month, inclusive. */
    public record PrepaidPeriod(LocalDate start, YearMonth lastMonth) {
    }
}
