package com.voiceledger.billing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An invoice with its lines. {@code total} = {@code subtotal} + {@code credits}, each the sum of its
 * lines. A FINALIZED invoice is numbered and never changes; a DRAFT (or HELD, or FAILED) one is a
 * month that has ended but is not final yet: its lines are computed from the charges as they stand,
 * and {@code finalizesAt} says when its grace period ends (BILLING-RULES §5). The month in progress
 * is shown as {@code id} 0, status UPCOMING.
 */
public record Invoice(long id, CustomerId customerId, @JsonIgnore String number, YearMonth month, String status, String currency,
        BigDecimal subtotal, BigDecimal credits, BigDecimal total, @Nullable Instant finalizedAt,
        @Nullable Instant finalizesAt, @Nullable String holdReason, List<InvoiceLine> lines) {

    public static final String UPCOMING = "UPCOMING";
    public static final String DRAFT = "DRAFT";
    public static final String HELD = "HELD";
    public static final String FAILED = "FAILED";
    public static final String FINALIZED = "FINALIZED";

    public Invoice {
        lines = List.copyOf(lines);
    }

    /**
     * {@code number} as the API shows it (decision 0071): the legal number once final, null before; a draft's
     * provisional {@code DRAFT-…} number is for screens and logs, not an invoice number.
     */
    @JsonProperty("number")
    public @Nullable String legalNumber() {
        return isFinal() ? number : null;
    }

    /**
     * The tax in {@code total} (decision 0079): the sum of its {@code tax} lines, which are neither in
     * {@code subtotal} nor in {@code credits}; 0 for a credit note and for a customer without a tax rate.
     */
    @JsonProperty("tax")
    public BigDecimal tax() {
        return total.subtract(subtotal).subtract(credits).max(BigDecimal.ZERO).setScale(total.scale());
    }

    /** Numbered and immutable: the only state Stripe, revenue and credit notes act on. */
    @JsonIgnore
    public boolean isFinal() {
        return FINALIZED.equals(status);
    }

    /** A month that has ended and waits to be finalized (on its own, or by finance). */
    @JsonIgnore
    public boolean isDraft() {
        return DRAFT.equals(status) || HELD.equals(status) || FAILED.equals(status);
    }
}
