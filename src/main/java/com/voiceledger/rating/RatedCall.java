package com.voiceledger.rating;

import com.voiceledger.contract.PricingModel;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A call's charge and how it was reached: each component's unit price, charge and the source of its
 * price; for per-minute contracts the billable seconds and the minimum-charge top-up. Amounts keep
 * full precision (per-second rates divided by 60 keep 12 decimals); rounding is for invoice lines.
 */
public record RatedCall(String callId, PricingModel pricingModel, @Nullable Integer rateVersion,
        @Nullable Long contractId, String currency, BigDecimal charge, int billableSeconds, BigDecimal minimumTopUp,
        boolean unpriced, String rateSource, List<Component> components) {

    public RatedCall {
        components = List.copyOf(components);
    }

    /**
     * @param unitPrice the price found (rate card or override)
     * @param billedUnitPrice what one unit costs the customer: the price with the layer's markup, so that
     *     quantity × billedUnitPrice = charge exactly
     */
    public record Component(int seq, @Nullable BigDecimal unitPrice, @Nullable BigDecimal billedUnitPrice,
            BigDecimal charge, String rateSource, boolean unpriced) {
    }
}
