package com.voiceledger.revenue;

import java.util.List;

/**
 * What an amount recognized in a month is. The first eight are revenue (their sum is the month's
 * recognized total; breakage also leaves deferred revenue); the deferred ones move the deferred balance;
 * {@link #TAX} is a liability (decision 0079);
 * {@link #INVOICED} is what the document billed, for the check.
 */
public enum Category {
    USAGE("usage"),
    MINIMUM_CHARGE("minimumCharge"),
    OVERAGE("overage"),
    TRUE_UP("trueUp"),
    LATE_USAGE("lateUsage"),
    BREAKAGE("breakage"),
    CREDITS("credits"),
    CREDIT_NOTES("creditNotes"),
    /** A prepaid amount invoiced at its period's start: into deferred revenue. */
    DEFERRED_ADDED("deferredAdded"),
    /** Usage drawn from a prepaid amount (positive): out of deferred; the usage itself is in USAGE. */
    DEFERRED_DRAWN("deferredDrawn"),
    /** Tax on an invoice (decision 0079): owed to the tax authority, a liability, never revenue. */
    TAX("tax"),
    /** The document's subtotal + credits: what the check reconciles to. */
    INVOICED("invoiced");

    /** The revenue categories, in the order the API and the screens show them. */
    public static final List<Category> REVENUE = List.of(USAGE, MINIMUM_CHARGE, OVERAGE, TRUE_UP, LATE_USAGE, BREAKAGE,
            CREDITS, CREDIT_NOTES);

    private final String key;

    Category(String key) {
        this.key = key;
    }

    /** The name in the JSON API. */
    public String key() {
        return key;
    }

    public boolean isRevenue() {
        return REVENUE.contains(this);
    }
}
