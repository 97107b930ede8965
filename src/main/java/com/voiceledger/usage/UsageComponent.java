package com.voiceledger.usage;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One priced quantity of a call: {@code (layer, provider, model, unit, quantity)} per BILLING-RULES
 * §1, with the provider cost that the platform reported for it. {@code model} is "-" where a layer
 * has none (telephony).
 */
public record UsageComponent(String costType, String layer, String provider, String model, String unit,
        BigDecimal quantity, BigDecimal providerCost) {

    public static final String NO_MODEL = "-";

    public UsageComponent {
        Objects.requireNonNull(costType);
        Objects.requireNonNull(layer);
        Objects.requireNonNull(provider);
        Objects.requireNonNull(model);
        Objects.requireNonNull(unit);
        if (quantity.signum() <= 0) {
            throw new IllegalArgumentException("a component has a positive quantity, got " + quantity);
        }
        Objects.requireNonNull(providerCost);
    }
}
