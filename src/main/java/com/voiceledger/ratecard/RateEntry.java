package com.voiceledger.ratecard;

import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Layer;
import com.voiceledger.shared.Units;
import java.math.BigDecimal;

/**
 * A unit price for {@code (layer, provider, model, unit)}; provider and model may be {@code *}. At
 * most 8 decimals, never negative. Used for rate card entries and for contract overrides alike.
 */
public record RateEntry(String layer, String provider, String model, String unit, BigDecimal unitPrice) {

    public static final String ANY = "*";
    public static final int MAX_DECIMALS = 8;

    public RateEntry {
        if (layer == null || !Layer.ALL.contains(layer)) {
            throw new BadRequestException("unknown layer '" + layer + "' (one of " + String.join(", ", Layer.ALL.stream().sorted().toList()) + ")");
        }
        if (unit == null || !Units.UNITS.contains(unit)) {
            throw new BadRequestException("unknown unit '" + unit + "' (one of " + String.join(", ", Units.UNITS.stream().sorted().toList()) + ")");
        }
        if (provider == null || provider.isBlank() || model == null || model.isBlank()) {
            throw new BadRequestException("provider and model are required (use * for any)");
        }
        if (ANY.equals(provider) && !ANY.equals(model)) {
            throw new BadRequestException("a model needs its provider: " + layer + " */" + model);
        }
        if (unitPrice == null || unitPrice.signum() < 0) {
            throw new BadRequestException("unit price of " + describe(layer, provider, model, unit) + " must be 0 or more");
        }
        if (unitPrice.stripTrailingZeros().scale() > MAX_DECIMALS) {
            throw new BadRequestException("unit price of " + describe(layer, provider, model, unit)
                    + " has more than " + MAX_DECIMALS + " decimals: " + unitPrice.toPlainString());
        }
        provider = provider.strip();
        model = model.strip();
        unitPrice = unitPrice.stripTrailingZeros();
    }

    public String key() {
        return describe(layer, provider, model, unit);
    }

    static String describe(String layer, String provider, String model, String unit) {
        return layer + " " + provider + " " + model + " " + unit;
    }
}
