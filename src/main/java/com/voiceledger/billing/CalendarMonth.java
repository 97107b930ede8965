package com.voiceledger.billing;

import java.time.Instant;
import java.time.YearMonth;
import org.jspecify.annotations.Nullable;

/**
 * One month of a customer's billing calendar: its state (OPEN while it runs or until its draft is made,
 * then DRAFT, HELD, FAILED or FINALIZED), the invoice if there is one, and the next automatic step
 * ({@code nextStepAt} null when the next step is finance's or another month's); {@code waitsFor} is the
 * earlier month it waits behind (a customer's invoices finalize in month order), {@code nextStep} says why.
 */
public record CalendarMonth(YearMonth month, String state, @Nullable Long invoiceId, @Nullable String number,
        @Nullable Instant finalizesAt, @Nullable Instant finalizedAt, @Nullable String reason,
        @Nullable Instant nextStepAt, String nextStep, @Nullable YearMonth waitsFor) {

    public static final String OPEN = "OPEN";
}
