package com.voiceledger.rating.internal;

import com.voiceledger.rating.RatedCall;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider's cost of each component, for margins. The platform reports one cost per
 * {@code costs[]} entry (one LLM entry covers prompt, cached and completion tokens); within an entry
 * it is shared by the components' rated charges, so each component's margin has the entry's margin
 * rate. Unrated entries (all charges 0) keep the usage store's quantity shares. The components of an
 * entry always sum to the entry's cost exactly. See docs/decisions/0012-margins.md.
 */
public final class ProviderCosts {

    private ProviderCosts() {
    }

    public static List<BigDecimal> byCharge(List<UsageComponent> components, RatedCall rated) {
        List<BigDecimal> costs = new ArrayList<>(components.stream().map(UsageComponent::providerCost).toList());
        Map<List<String>, List<Integer>> entries = new LinkedHashMap<>();
        for (int seq = 0; seq < components.size(); seq++) {
            UsageComponent c = components.get(seq);
            entries.computeIfAbsent(List.of(c.costType(), c.layer(), c.provider(), c.model()), key -> new ArrayList<>())
                    .add(seq);
        }
        for (List<Integer> members : entries.values()) {
            if (members.size() < 2) {
                continue;
            }
            BigDecimal entryCost = members.stream().map(costs::get).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal totalCharge = members.stream().map(seq -> chargeOf(rated, seq)).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (totalCharge.signum() <= 0) {
                continue;
            }
            BigDecimal assigned = BigDecimal.ZERO;
            for (int i = 0; i < members.size(); i++) {
                int seq = members.get(i);
                BigDecimal share = i == members.size() - 1 ? entryCost.subtract(assigned)
                        : entryCost.multiply(chargeOf(rated, seq)).divide(totalCharge, 10, RoundingMode.HALF_EVEN);
                assigned = assigned.add(share);
                costs.set(seq, share);
            }
        }
        return costs;
    }

    private static BigDecimal chargeOf(RatedCall rated, int seq) {
        return rated.components().stream().filter(c -> c.seq() == seq).map(RatedCall.Component::charge).findFirst()
                .orElse(BigDecimal.ZERO);
    }
}
