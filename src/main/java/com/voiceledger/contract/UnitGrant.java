package com.voiceledger.contract;

import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Layer;
import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Included usage (BILLING-RULES §7, decision 0072): {@code amount} units of one {@code (layer, provider, model,
 * unit)} per calendar {@code period} in the customer's billing time zone, {@code provider} and {@code model} with
 * {@code *} wildcards as in the rate card (a {@code *} provider only with a {@code *} model). {@code rollover}: none,
 * or how many unused units move to the next period.
 */
public record UnitGrant(String layer, String provider, String model, String unit, BigDecimal amount,
        CommitmentPeriod period, @Nullable Rollover rollover) {

    public static final String ANY = "*";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}|\\*");
    private static final Pattern UNIT = Pattern.compile("[a-z_]{1,40}");

    public UnitGrant {
        if (layer == null || !Layer.ALL.contains(layer)) {
            throw new BadRequestException("grants[].layer must be one of " + Layer.ALL + ", got '" + layer + "'");
        }
        if (provider == null || !NAME.matcher(provider).matches() || model == null || !NAME.matcher(model).matches()) {
            throw new BadRequestException("grants[].provider and grants[].model are names or * (any)");
        }
        if (provider.equals(ANY) && !model.equals(ANY)) {
            throw new BadRequestException("a grant for any provider (*) must be for any model (*) too, as in the rate card");
        }
        if (unit == null || !UNIT.matcher(unit).matches()) {
            throw new BadRequestException("grants[].unit is a unit such as minute, prompt_token or character");
        }
        if (amount == null || amount.signum() <= 0) {
            throw new BadRequestException("grants[].amount must be more than 0 units per period");
        }
        if (period == null) {
            throw new BadRequestException("grants[].period must be MONTH, QUARTER or YEAR");
        }
        amount = amount.stripTrailingZeros();
    }

    /**
     * The grant's id: what it covers and per which period. Contract versions that carry the same grant share its
     * units (a price change mid-period does not grant them again; decision 0072).
     */
    public String grantId() {
        return layer + ":" + provider + ":" + model + ":" + unit + ":" + period.name();
    }

    /** Whether this grant covers a component: same layer and unit, provider and model equal or {@code *}. */
    public boolean covers(String componentLayer, String componentProvider, String componentModel, String componentUnit) {
        return layer.equals(componentLayer) && unit.equals(componentUnit)
                && (provider.equals(ANY) || provider.equals(componentProvider))
                && (model.equals(ANY) || model.equals(componentModel));
    }

    /** 2: exact model; 1: {@code provider/*}; 0: {@code *}/{@code *} (drawn in this order, most specific first). */
    public int specificity() {
        return !model.equals(ANY) ? 2 : !provider.equals(ANY) ? 1 : 0;
    }

    /** What a period's unused units may carry into the next: up to {@code maxUnits}, or up to {@code maxShare} of the amount. */
    public BigDecimal rolloverCap() {
        if (rollover == null) {
            return BigDecimal.ZERO;
        }
        return rollover.maxUnits() != null ? rollover.maxUnits() : amount.multiply(rollover.maxShare());
    }

    /** Exactly one of a cap in units or a share of the amount (0 < share ≤ 1). */
    public record Rollover(@Nullable BigDecimal maxUnits, @Nullable BigDecimal maxShare) {

        public Rollover {
            if ((maxUnits == null) == (maxShare == null)) {
                throw new BadRequestException("grants[].rollover gives either maxUnits or maxShare (or is left out)");
            }
            if (maxUnits != null && maxUnits.signum() <= 0) {
                throw new BadRequestException("grants[].rollover.maxUnits must be more than 0");
            }
            if (maxShare != null && (maxShare.signum() <= 0 || maxShare.compareTo(BigDecimal.ONE) > 0)) {
                throw new BadRequestException("grants[].rollover.maxShare must be more than 0 and at most 1 (0.2 = 20 %)");
            }
        }
    }
}
