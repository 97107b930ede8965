package com.voiceledger.contract;

import com.voiceledger.ratecard.PriceTable;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Layer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Everything a contract says about price, validated as a whole with messages a person can act on.
 * Markups are percentages per layer (20 = +20 %); overrides use the rate card's lookup order.
 * {@code costTransparency}: the customer was promised "cost + x %" and may see the provider's cost
 * per component (never the margin). {@code limits}: what a call may do, enforced at admission (none: no limits).
 * {@code grants}: included usage in units per period (BILLING-RULES §7, decision 0072), cost-plus contracts only.
 */
public record ContractTerms(PricingModel pricingModel, Map<String, BigDecimal> markup, List<RateEntry> overrides,
        @Nullable BigDecimal perMinuteRate, BigDecimal minimumCharge, int billingIncrementSeconds,
        BigDecimal includedMinutes, @Nullable Commitment commitment, BigDecimal overageMultiplier,
        @Nullable SpendCap spendCap, boolean costTransparency, @Nullable ContractLimits limits,
        List<UnitGrant> grants) {

    /** Terms without grants in units. */
    public ContractTerms(PricingModel pricingModel, Map<String, BigDecimal> markup, List<RateEntry> overrides,
            @Nullable BigDecimal perMinuteRate, BigDecimal minimumCharge, int billingIncrementSeconds,
            BigDecimal includedMinutes, @Nullable Commitment commitment, BigDecimal overageMultiplier,
            @Nullable SpendCap spendCap, boolean costTransparency, @Nullable ContractLimits limits) {
        this(pricingModel, markup, overrides, perMinuteRate, minimumCharge, billingIncrementSeconds, includedMinutes,
                commitment, overageMultiplier, spendCap, costTransparency, limits, null);
    }

    /** Terms without admission limits (concurrency, duration, models). */
    public ContractTerms(PricingModel pricingModel, Map<String, BigDecimal> markup, List<RateEntry> overrides,
            @Nullable BigDecimal perMinuteRate, BigDecimal minimumCharge, int billingIncrementSeconds,
            BigDecimal includedMinutes, @Nullable Commitment commitment, BigDecimal overageMultiplier,
            @Nullable SpendCap spendCap, boolean costTransparency) {
        this(pricingModel, markup, overrides, perMinuteRate, minimumCharge, billingIncrementSeconds, includedMinutes,
                commitment, overageMultiplier, spendCap, costTransparency, null);
    }

    /** Terms without cost transparency: the customer sees charges, not the provider's cost. */
    public ContractTerms(PricingModel pricingModel, Map<String, BigDecimal> markup, List<RateEntry> overrides,
            @Nullable BigDecimal perMinuteRate, BigDecimal minimumCharge, int billingIncrementSeconds,
            BigDecimal includedMinutes, @Nullable Commitment commitment, BigDecimal overageMultiplier,
            @Nullable SpendCap spendCap) {
        this(pricingModel, markup, overrides, perMinuteRate, minimumCharge, billingIncrementSeconds, includedMinutes,
                commitment, overageMultiplier, spendCap, false);
    }

    public ContractTerms {
        if (pricingModel == null) {
            throw new BadRequestException("pricingModel must be RATE_CARD or PER_MINUTE");
        }
        markup = markup == null ? Map.of() : Map.copyOf(new TreeMap<>(markup));
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        minimumCharge = minimumCharge == null ? BigDecimal.ZERO : minimumCharge;
        billingIncrementSeconds = billingIncrementSeconds == 0 ? 60 : billingIncrementSeconds;
        includedMinutes = includedMinutes == null ? BigDecimal.ZERO : includedMinutes;
        overageMultiplier = overageMultiplier == null ? BigDecimal.ONE : overageMultiplier;
        markup.forEach((layer, percent) -> {
            if (!Layer.ALL.contains(layer)) {
                throw new BadRequestException("markup names an unknown layer '" + layer + "'");
            }
            if (percent == null || percent.compareTo(BigDecimal.valueOf(-100)) < 0) {
                throw new BadRequestException("markup of " + layer + " must be -100 % or more");
            }
        });
        PriceTable.of(overrides);
        if (pricingModel == PricingModel.PER_MINUTE) {
            if (perMinuteRate == null || perMinuteRate.signum() < 0) {
                throw new BadRequestException("a PER_MINUTE contract needs perMinuteRate of 0 or more");
            }
            if (!markup.isEmpty() || !overrides.isEmpty()) {
                throw new BadRequestException("markup and overrides apply to RATE_CARD contracts only");
            }
        } else if (perMinuteRate != null || minimumCharge.signum() != 0 || includedMinutes.signum() != 0) {
            throw new BadRequestException("perMinuteRate, minimumCharge and includedMinutes apply to PER_MINUTE contracts only");
        }
        if (minimumCharge.signum() < 0) {
            throw new BadRequestException("minimumCharge must be 0 or more");
        }
        if (billingIncrementSeconds < 1 || billingIncrementSeconds > 3600) {
            throw new BadRequestException("billingIncrementSeconds must be between 1 and 3600");
        }
        if (includedMinutes.signum() < 0) {
            throw new BadRequestException("includedMinutes must be 0 or more");
        }
        if (overageMultiplier.signum() < 0) {
            throw new BadRequestException("overageMultiplier must be 0 or more");
        }
        grants = grants == null ? List.of() : List.copyOf(grants);
        if (!grants.isEmpty() && pricingModel == PricingModel.PER_MINUTE) {
            throw new BadRequestException("grants apply to RATE_CARD contracts only (a PER_MINUTE contract has "
                    + "includedMinutes)");
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (UnitGrant grant : grants) {
            if (grant == null) {
                throw new BadRequestException("grants[] entries must not be null");
            }
            if (!ids.add(grant.grantId())) {
                throw new BadRequestException("grants names " + grant.grantId() + " twice (one grant per layer, "
                        + "provider, model, unit and period)");
            }
        }
    }

    public BigDecimal markupOf(String layer) {
        return markup.getOrDefault(layer, BigDecimal.ZERO);
    }

    /** List prices, no markup: how a customer without a contract is priced. */
    public static ContractTerms listPrices() {
        return new ContractTerms(PricingModel.RATE_CARD, Map.of(), List.of(), null, null, 60, null, null, null, null);
    }
}
