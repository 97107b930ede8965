package com.voiceledger.admin.ui;

import com.voiceledger.ui.Formats;
import com.voiceledger.contract.ContractLimits;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** One line that says what a contract's terms are, for lists. */
final class ContractSummary {

    private ContractSummary() {
    }

    /** The contract's limits (issue #29), each as a short phrase; none when the contract sets none. */
    static List<String> limits(ContractLimits limits) {
        List<String> parts = new ArrayList<>();
        if (limits.concurrentCalls() != null) {
            parts.add("at most " + limits.concurrentCalls() + " calls at once"
                    + (limits.concurrentCallsPerAssistant() == null ? ""
                    : " (" + limits.concurrentCallsPerAssistant() + " per assistant)"));
        } else if (limits.concurrentCallsPerAssistant() != null) {
            parts.add("at most " + limits.concurrentCallsPerAssistant() + " calls at once per assistant");
        }
        if (limits.maxCallSeconds() != null) {
            parts.add("calls up to " + Formats.duration(limits.maxCallSeconds()));
        }
        if (!limits.allowsEveryModel()) {
            parts.add("models " + String.join(", ", limits.allowedModels()));
        }
        return parts;
    }

    static String of(ContractTerms terms, String currency) {
        List<String> parts = new ArrayList<>();
        if (terms.pricingModel() == PricingModel.PER_MINUTE) {
            parts.add(Formats.precise(terms.perMinuteRate(), currency) + "/min in " + terms.billingIncrementSeconds()
                    + " s steps");
            if (terms.minimumCharge().signum() > 0) {
                parts.add("minimum " + Formats.precise(terms.minimumCharge(), currency));
            }
            if (terms.includedMinutes().signum() > 0) {
                parts.add(terms.includedMinutes().toPlainString() + " min included");
            }
        } else {
            parts.add(terms.markup().isEmpty() ? "list prices" : terms.markup().entrySet().stream()
                    .map(e -> e.getKey() + " +" + e.getValue().stripTrailingZeros().toPlainString() + " %")
                    .collect(Collectors.joining(", ")));
            if (!terms.overrides().isEmpty()) {
                parts.add(terms.overrides().size() + " override(s)");
            }
        }
        if (terms.commitment() != null) {
            parts.add((terms.commitment().prepaid() ? "prepaid " : "") + "commitment "
                    + Formats.money(terms.commitment().amount(), currency) + " per " + terms.commitment().period().name().toLowerCase());
        }
        if (terms.overageMultiplier().compareTo(java.math.BigDecimal.ONE) != 0) {
            parts.add("overage × " + terms.overageMultiplier().toPlainString());
        }
        if (terms.spendCap() != null) {
            parts.add("cap " + Formats.money(terms.spendCap().monthlyAmount(), currency) + "/month");
        }
        if (terms.limits() != null) {
            parts.addAll(limits(terms.limits()));
        }
        return String.join("; ", parts);
    }
}
