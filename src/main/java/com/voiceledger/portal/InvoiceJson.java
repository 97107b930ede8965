package com.voiceledger.portal;

import com.voiceledger.billing.Invoice;
import com.voiceledger.customer.BillingDetails;
import com.voiceledger.billing.InvoiceLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An invoice as the API shows it: totals, status (DRAFT, HELD, FAILED and FINALIZED as issuing sets
 * them, UPCOMING for the month in progress), when it finalizes (null once final), and every line with
 * its explanation. Finance's hold reason is not shown to the customer. {@code number} is the legal number
 * once final and null before (decision 0071): a draft's provisional number is no invoice number. One invoice
 * read alone carries {@code billingDetails} (decision 0077).
 */
record InvoiceJson(@Nullable Long id, @Nullable String number, YearMonth month, String status, String currency,
        BigDecimal subtotal, BigDecimal credits, BigDecimal tax, BigDecimal total, @Nullable Instant finalizedAt,
        @Nullable Instant finalizesAt, @Nullable String paymentStatus, @Nullable List<Line> lines,
        @Nullable BillingDetails billingDetails) {

    record Line(String kind, String description, @Nullable BigDecimal quantity, @Nullable String unit,
            @Nullable BigDecimal unitPrice, BigDecimal amount, Map<String, Object> explanation) {

        static Line of(InvoiceLine line) {
            return new Line(line.kind().wireName(), line.description(), line.quantity(), line.unit(), line.unitPrice(),
                    line.amount(), line.explanation());
        }
    }

    static InvoiceJson of(Invoice invoice, @Nullable String paymentStatus, boolean withLines) {
        return new InvoiceJson(invoice.id() == 0 ? null : invoice.id(), invoice.isFinal() ? invoice.number() : null,
                invoice.month(),
                invoice.status(), invoice.currency(), invoice.subtotal(), invoice.credits(), invoice.tax(), invoice.total(),
                invoice.finalizedAt(), invoice.isFinal() ? null : invoice.finalizesAt(), paymentStatus,
                withLines ? invoice.lines().stream().map(Line::of).toList() : null, null);
    }

    /**
     * The same invoice with whom it is addressed to (decision 0077): for a final one the billing details kept when
     * it was issued, for a draft the current ones; null when there are none.
     */
    InvoiceJson addressedTo(@Nullable BillingDetails details) {
        return new InvoiceJson(id, number, month, status, currency, subtotal, credits, tax, total, finalizedAt, finalizesAt,
                paymentStatus, lines, details);
    }
}
