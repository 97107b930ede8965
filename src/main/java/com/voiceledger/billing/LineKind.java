package com.voiceledger.billing;

/** The kinds of invoice line (BILLING-RULES §5), by their wire names. */
public enum LineKind {
    USAGE("usage"),
    MINIMUM_CHARGE("minimum_charge"),
    COMMITMENT_TRUE_UP("commitment_true_up"),
    OVERAGE("overage"),
    PREPAID_COMMITMENT("prepaid_commitment"),
    CREDIT("credit"),
    LATE_USAGE("late_usage"),
    /** The one line of a credit note correcting a closed invoice. */
    CREDIT_NOTE("credit_note"),
    /** Tax on the invoice (decision 0079): in its total, never in its subtotal, never revenue. */
    TAX("tax");

    private final String wireName;

    LineKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static LineKind fromWireName(String name) {
        for (LineKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown line kind " + name);
    }
}
