package com.voiceledger.billing;

import com.voiceledger.contract.Commitment;
import com.voiceledger.rating.ChargeGroup;
import com.voiceledger.rating.PerMinuteGroup;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything an invoice of one customer-month is computed from. Gathered from the database by
 * {@link InvoiceService}; the arithmetic itself ({@link InvoiceCalculator}) sees only this.
 *
 * @param callsLink base of the drill-down link to the calls behind a line (from/to are appended)
 * @param periodEnd the end of the billing month in the customer's time zone (credit eligibility)
 */
public record InvoiceInput(YearMonth month, String currency, Instant periodStart, Instant periodEnd,
        List<ChargeGroup> charges, List<PerMinuteGroup> perMinute, Map<Long, PerMinuteTerms> perMinuteTerms,
        @Nullable CommitmentState commitment, List<GrantBalance> grants, String callsLink,
        @Nullable TelephonyDelta telephonyDelta) {

    public InvoiceInput(YearMonth month, String currency, Instant periodStart, Instant periodEnd,
            List<ChargeGroup> charges, List<PerMinuteGroup> perMinute, Map<Long, PerMinuteTerms> perMinuteTerms,
            @Nullable CommitmentState commitment, List<GrantBalance> grants, String callsLink) {
        this(month, currency, periodStart, periodEnd, charges, perMinute, perMinuteTerms, commitment, grants, callsLink,
                null);
    }

    /**
     * Minutes Twilio billed beyond what the platform reported, for customers whose policy bills them,
     * at the rate card's telephony price.
     */
    public record TelephonyDelta(BigDecimal minutes, BigDecimal unitPrice, String priceSource, long calls) {
    }

    public InvoiceInput {
        charges = List.copyOf(charges);
        perMinute = List.copyOf(perMinute);
        perMinuteTerms = Map.copyOf(perMinuteTerms);
        grants = List.copyOf(grants);
    }

    /** The per-minute terms of one contract. */
    public record PerMinuteTerms(String contract, BigDecimal rate, BigDecimal includedMinutes, int incrementSeconds,
            BigDecimal minimumCharge) {
    }

    /**
     * The commitment in force at the month's end and what earlier invoices of its period drew.
     *
     * @param usageBefore usage of the period's earlier months (sum of their USAGE ledger entries)
     * @param prepaidBalanceBefore what is left of a prepaid amount invoiced earlier in the period
     */
    public record CommitmentState(Commitment terms, String contract, LocalDate periodStart, boolean firstMonth,
            boolean lastMonth, BigDecimal usageBefore, BigDecimal prepaidBalanceBefore, BigDecimal overageMultiplier) {
    }

    /** A credit grant's remaining balance and the fields that decide its eligibility and order. */
    public record GrantBalance(long grantId, BigDecimal balance, int priority, Instant effectiveFrom,
            @Nullable Instant expiresAt, String reason) {
    }
}
