package com.voiceledger.rating;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rated components of cost-plus calls summed by what an invoice line is made of: layer, provider,
 * model, unit and billed unit price. {@code late}: the calls belong to an already closed month. {@code quantity}:
 * all the units reported; {@code grants}: how many of them grants covered (the rest is priced).
 */
public record ChargeGroup(boolean late, String layer, String provider, String model, String unit,
        @Nullable BigDecimal billedUnitPrice, List<String> sources, BigDecimal quantity, BigDecimal charge, long calls,
        Instant firstCall, Instant lastCall, List<GrantUse> grants) {

    /** A group no grant covered any of. */
    public ChargeGroup(boolean late, String layer, String provider, String model, String unit,
            @Nullable BigDecimal billedUnitPrice, List<String> sources, BigDecimal quantity, BigDecimal charge,
            long calls, Instant firstCall, Instant lastCall) {
        this(late, layer, provider, model, unit, billedUnitPrice, sources, quantity, charge, calls, firstCall, lastCall,
                List.of());
    }

    public ChargeGroup {
        sources = List.copyOf(sources);
        grants = List.copyOf(grants);
    }

    /** The units of {@code quantity} that grants covered (not priced). */
    public BigDecimal coveredUnits() {
        return grants.stream().map(GrantUse::units).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Units of the group's calls one grant covered (BILLING-RULES §7: every line says which grants covered what). */
    public record GrantUse(String grantId, BigDecimal units) {
    }

    public boolean unpriced() {
        return billedUnitPrice == null;
    }
}
