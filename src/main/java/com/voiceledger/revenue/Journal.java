package com.voiceledger.revenue;

import com.voiceledger.shared.CustomerId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A month's journal entries (BILLING-RULES §6) from its recognition entries: each entry is one balanced
 * pair of lines, so the month balances by construction. Every line is dated the month's last day, the
 * period it is recognized in (decision 0040).
 */
public final class Journal {

    private Journal() {
    }

    /** One journal line as accounting imports expect it; exactly one of debit and credit is non-zero. */
    public record Line(LocalDate date, String account, BigDecimal debit, BigDecimal credit, String customer,
            String memo, String source) {
    }

    public static List<Line> of(List<Entry> entriesOfMonth, AccountCodes accounts,
            Function<CustomerId, String> customerNames) {
        List<Line> lines = new ArrayList<>();
        entriesOfMonth.stream()
                .filter(entry -> entry.category() != Category.INVOICED && entry.amount().signum() != 0)
                .sorted(Comparator.comparing(Entry::documentId).thenComparing(Entry::category))
                .forEach(entry -> post(entry, accounts, customerNames.apply(entry.customer()), lines));
        return lines;
    }

    /**
     * A positive amount debits the first account and credits the second; a negative one the other way
     * round (a credit is a debit to contra-revenue, usage drawn from prepaid a debit to deferred revenue).
     */
    private static void post(Entry entry, AccountCodes accounts, String customer, List<Line> lines) {
        String debit;
        String credit;
        switch (entry.category()) {
            case DEFERRED_ADDED -> {
                debit = accounts.receivable();
                credit = accounts.deferredRevenue();
            }
            case DEFERRED_DRAWN -> {
                debit = accounts.deferredRevenue();
                credit = accounts.receivable();
            }
            case BREAKAGE -> {
                debit = accounts.deferredRevenue();
                credit = accounts.breakage();
            }
            case TAX -> {
                // collected for the tax authority: owed (a liability), never revenue (decision 0079)
                debit = accounts.receivable();
                credit = accounts.taxPayable();
            }
            default -> {
                debit = accounts.receivable();
                credit = accounts.revenueAccount(entry.category());
            }
        }
        BigDecimal amount = entry.amount();
        if (amount.signum() < 0) {
            String swap = debit;
            debit = credit;
            credit = swap;
            amount = amount.negate();
        }
        LocalDate date = entry.month().atEndOfMonth();
        String memo = memo(entry);
        BigDecimal zero = amount.subtract(amount);
        lines.add(new Line(date, debit, amount, zero, customer, memo, entry.number()));
        lines.add(new Line(date, credit, zero, amount, customer, memo, entry.number()));
    }

    private static String memo(Entry entry) {
        String what = switch (entry.category()) {
            case USAGE -> "Usage revenue";
            case MINIMUM_CHARGE -> "Minimum charge revenue";
            case OVERAGE -> "Overage revenue";
            case TRUE_UP -> "Commitment true-up revenue";
            case LATE_USAGE -> "Late usage revenue";
            case BREAKAGE -> "Breakage: unused prepaid commitment recognized";
            case CREDITS -> "Promotional credits (contra-revenue)";
            case CREDIT_NOTES -> "Credit note (revenue reversed)";
            case DEFERRED_ADDED -> "Prepaid commitment invoiced: deferred revenue";
            case DEFERRED_DRAWN -> "Usage drawn from prepaid commitment";
            case TAX -> "Tax invoiced (liability)";
            case INVOICED -> "Invoiced";
        };
        return what + " · " + entry.billedMonth() + (entry.catchUp() ? " (catch-up: " + entry.billedMonth()
                + " was locked)" : "");
    }
}
