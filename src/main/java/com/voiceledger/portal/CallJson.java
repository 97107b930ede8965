package com.voiceledger.portal;

import com.voiceledger.rating.RatedCall;
import com.voiceledger.usage.CallDetail;
import com.voiceledger.usage.CallSummary;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A call as the customer API shows it; {@code customerId} is the customer's external id. Charges are
 * at full precision in the customer's currency ({@code chargeCurrency}); provider cost is in USD.
 */
record CallJson(String id, @Nullable String customerId, @Nullable String type, String status,
        @Nullable Instant startedAt, @Nullable Instant endedAt, int durationSeconds, @Nullable String endedReason,
        @Nullable String assistantId, @Nullable String phoneNumberId, @Nullable String customerNumber,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable BigDecimal providerCost, String currency,
        @Nullable BigDecimal charge,
        @Nullable String chargeCurrency, @Nullable String pricingModel, @Nullable String rateSource,
        @Nullable Integer billableSeconds, @Nullable BigDecimal minimumTopUp, boolean unpriced,
        List<Component> components, @Nullable Twilio twilio, @Nullable List<Step> timeline) {

    record Component(String layer, String provider, String model, String unit, BigDecimal quantity,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable BigDecimal providerCost,
            @Nullable BigDecimal unitPrice, @Nullable BigDecimal charge,
            @Nullable String rateSource) {
    }

    record Twilio(String callSid, @Nullable String status, @Nullable Integer durationSeconds) {
    }

    record Step(String status, Instant at, @Nullable String endedReason) {
    }

    /** {@code showCost}: provider cost is included only for finance and cost-transparent contracts. */
    static CallJson of(CallDetail detail, @Nullable RatedCall rated, @Nullable String customerExternalId,
            boolean withTimeline, boolean showCost) {
        CallSummary call = detail.call();
        List<Component> components = detail.components().stream().map(c -> {
            RatedCall.Component charge = rated == null ? null : rated.components().stream()
                    .filter(r -> r.seq() == c.seq()).findFirst().orElse(null);
            return new Component(c.layer(), c.provider(), c.model(), c.unit(), c.quantity(),
                    showCost ? c.providerCost() : null,
                    charge == null ? null : charge.unitPrice(), charge == null ? null : charge.charge(),
                    charge == null ? null : charge.rateSource());
        }).toList();
        return new CallJson(call.id(), customerExternalId, call.type(), call.status(), call.startedAt(),
                call.endedAt(), call.durationSeconds(), call.endedReason(), call.assistantId(), call.phoneNumberId(),
                detail.customerNumber(), showCost ? call.providerCost() : null, call.currency(),
                rated == null ? null : rated.charge(), rated == null ? null : rated.currency(),
                rated == null ? null : rated.pricingModel().name(), rated == null ? null : rated.rateSource(),
                rated == null ? null : rated.billableSeconds(), rated == null ? null : rated.minimumTopUp(),
                rated != null && rated.unpriced(), components,
                detail.twilio() == null ? null : new Twilio(detail.twilio().callSid(), detail.twilio().status(),
                        detail.twilio().durationSeconds()),
                withTimeline ? detail.timeline().stream()
                        .map(step -> new Step(step.status(), step.occurredAt(), step.endedReason())).toList() : null);
    }
}
