package com.voiceledger.rating;

import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.ratecard.PriceTable;
import com.voiceledger.ratecard.RateCardVersion;
import com.voiceledger.ratecard.RateEntry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * BILLING-RULES §2–3 as one pure function: the same call, rate card version and contract always give
 * the same charges, each with the source of its price. No Spring, no database, no clock.
 */
public final class Rater {

    static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    static final BigDecimal SIXTY = BigDecimal.valueOf(60);
    /** Decimal places kept where a division cannot be exact (per-second minutes). */
    static final int PRECISION = 12;

    private Rater() {
    }

    /**
     * @param version the rate card version in force at the call's start, if any
     * @param contract the customer's contract in force then, if any (none: list prices)
     * @param currency the customer's billing currency
     */
    public static RatedCall rate(CallToRate call, @Nullable RateCardVersion version, @Nullable Contract contract,
            String currency) {
        ContractTerms terms = contract == null ? ContractTerms.listPrices() : contract.terms();
        return terms.pricingModel() == PricingModel.PER_MINUTE
                ? perMinute(call, version, contract, terms, currency)
                : rateCard(call, version, contract, terms, currency);
    }

    private static RatedCall rateCard(CallToRate call, @Nullable RateCardVersion version, @Nullable Contract contract,
            ContractTerms terms, String currency) {
        PriceTable overrides = PriceTable.of(terms.overrides());
        PriceTable card = version == null ? PriceTable.of(List.of()) : version.table();
        boolean cardUsable = version != null && version.currency().equals(currency);
        List<RatedCall.Component> components = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        boolean unpriced = false;
        for (CallToRate.Component component : call.components()) {
            Optional<Priced> price = price(component, component.unit(), overrides, card, cardUsable, version, contract);
            if (price.isEmpty() && component.unit().equals("cached_prompt_token")) {
                price = price(component, "prompt_token", overrides, card, cardUsable, version, contract)
                        .map(p -> new Priced(p.unitPrice(), p.source() + " (prompt price: no cached price)"));
            }
            if (price.isEmpty()) {
                unpriced = true;
                components.add(new RatedCall.Component(component.seq(), null, null, BigDecimal.ZERO,
                        missingPrice(component, version, currency), true));
                continue;
            }
            BigDecimal markup = terms.markupOf(component.layer());
            BigDecimal billedUnitPrice = price.get().unitPrice().multiply(BigDecimal.ONE.add(markup.divide(HUNDRED)));
            BigDecimal charge = component.quantity().multiply(billedUnitPrice);
            String source = markup.signum() == 0 ? price.get().source()
                    : price.get().source() + " + " + markup.stripTrailingZeros().toPlainString() + " % "
                            + component.layer() + " markup (" + contract.label() + ")";
            components.add(new RatedCall.Component(component.seq(), price.get().unitPrice(),
                    billedUnitPrice.stripTrailingZeros(), charge, source, false));
            total = total.add(charge);
        }
        String source = contract == null ? (version == null ? "no rate card" : version.label() + ", list prices")
                : contract.label() + " (cost-plus), " + (version == null ? "no rate card" : version.label());
        return new RatedCall(call.callId(), PricingModel.RATE_CARD, version == null ? null : version.number(),
                contract == null ? null : contract.id(), currency, total, 0, BigDecimal.ZERO, unpriced, source,
                components);
    }

    private static Optional<Priced> price(CallToRate.Component component, String unit, PriceTable overrides,
            PriceTable card, boolean cardUsable, @Nullable RateCardVersion version, @Nullable Contract contract) {
        Optional<RateEntry> override = overrides.find(component.layer(), component.provider(), component.model(), unit);
        if (override.isPresent()) {
            return Optional.of(new Priced(override.get().unitPrice(),
                    contract.label() + ": override " + override.get().key()));
        }
        if (!cardUsable) {
            return Optional.empty();
        }
        return card.find(component.layer(), component.provider(), component.model(), unit)
                .map(entry -> new Priced(entry.unitPrice(), version.label() + ": " + entry.key()));
    }

    private static String missingPrice(CallToRate.Component component, @Nullable RateCardVersion version,
            String currency) {
        String what = component.layer() + " " + component.provider() + " " + component.model() + " " + component.unit();
        if (version == null) {
            return "unpriced: no rate card in force, no override for " + what;
        }
        if (!version.currency().equals(currency)) {
            return "unpriced: " + version.label() + " is in " + version.currency() + ", the customer bills in "
                    + currency + ", no override for " + what;
        }
        return "unpriced: " + version.label() + " has no price for " + what;
    }

    private static RatedCall perMinute(CallToRate call, @Nullable RateCardVersion version, Contract contract,
            ContractTerms terms, String currency) {
        String terms60 = contract.label() + ": " + terms.perMinuteRate().toPlainString() + " " + currency
                + "/min, " + terms.billingIncrementSeconds() + " s increments, minimum "
                + terms.minimumCharge().toPlainString();
        List<RatedCall.Component> components = call.components().stream()
                .map(c -> new RatedCall.Component(c.seq(), null, null, BigDecimal.ZERO,
                        "in the per-minute price (" + contract.label() + ")", false))
                .toList();
        int duration = call.durationSeconds();
        if (duration <= 0) {
            return new RatedCall(call.callId(), PricingModel.PER_MINUTE, version == null ? null : version.number(),
                    contract.id(), currency, BigDecimal.ZERO, 0, BigDecimal.ZERO, false,
                    terms60 + "; never connected: no charge", components);
        }
        int increment = terms.billingIncrementSeconds();
        int billableSeconds = Math.ceilDiv(duration, increment) * increment;
        BigDecimal minutesCharge = BigDecimal.valueOf(billableSeconds).multiply(terms.perMinuteRate())
                .divide(SIXTY, PRECISION, RoundingMode.HALF_EVEN).stripTrailingZeros();
        BigDecimal topUp = terms.minimumCharge().subtract(minutesCharge).max(BigDecimal.ZERO);
        return new RatedCall(call.callId(), PricingModel.PER_MINUTE, version == null ? null : version.number(),
                contract.id(), currency, minutesCharge.add(topUp), billableSeconds, topUp, false, terms60, components);
    }

    private record Priced(BigDecimal unitPrice, String source) {
    }
}
