package com.voiceledger.revenue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chart of accounts the journal posts to (settings {@code voiceledger.revenue.accounts.*}, e.g.
 * {@code VOICELEDGER_REVENUE_ACCOUNTS_RECEIVABLE=1100}). The defaults are a plain numbering to replace
 * with the ledger's own codes.
 */
@ConfigurationProperties("voiceledger.revenue.accounts")
public record AccountCodes(
        @DefaultValue("1200") String receivable,
        @DefaultValue("2400") String deferredRevenue,
        @DefaultValue("4000") String usage,
        @DefaultValue("4010") String minimumCharge,
        @DefaultValue("4020") String overage,
        @DefaultValue("4030") String trueUp,
        @DefaultValue("4040") String lateUsage,
        @DefaultValue("4050") String breakage,
        @DefaultValue("4090") String creditNotes,
        @DefaultValue("4900") String promotionalCredits,
        @DefaultValue("2200") String taxPayable) {

    public static final AccountCodes DEFAULTS = new AccountCodes("1200", "2400", "4000", "4010", "4020", "4030", "4040",
            "4050", "4090", "4900", "2200");

    /** The revenue account of a revenue category. */
    public String revenueAccount(Category category) {
        return switch (category) {
            case USAGE -> usage;
            case MINIMUM_CHARGE -> minimumCharge;
            case OVERAGE -> overage;
            case TRUE_UP -> trueUp;
            case LATE_USAGE -> lateUsage;
            case BREAKAGE -> breakage;
            case CREDITS -> promotionalCredits;
            case CREDIT_NOTES -> creditNotes;
            default -> throw new IllegalArgumentException(category + " is not revenue");
        };
    }
}
