package com.voiceledger.portal;

import com.voiceledger.usage.CallDetail;
import com.voiceledger.usage.CallSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A call as the customer API shows it; {@code customerId} is the customer's external id. */
record CallJson(String id, @Nullable String customerId, @Nullable String type, String status,
        @Nullable Instant startedAt, @Nullable Instant endedAt, int durationSeconds, @Nullable String endedReason,
        @Nullable String assistantId, @Nullable String phoneNumberId, @Nullable String customerNumber,
        @Nullable BigDecimal providerCost, String currency, List<Component> components, @Nullable Twilio twilio,
        @Nullable List<Step> timeline) {

    record Component(String layer, String provider, String model, String unit, BigDecimal quantity,
            BigDecimal providerCost) {
    }

    record Twilio(String callSid, @Nullable String status, @Nullable Integer durationSeconds) {
    }

    record Step(String status, Instant at, @Nullable String endedReason) {
    }

    static CallJson of(CallDetail detail, @Nullable String customerExternalId, boolean withTimeline) {
        CallSummary call = detail.call();
        return new CallJson(call.id(), customerExternalId, call.type(), call.status(), call.startedAt(),
                call.endedAt(), call.durationSeconds(), call.endedReason(), call.assistantId(), call.phoneNumberId(),
                detail.customerNumber(), call.providerCost(), call.currency(),
                detail.components().stream().map(c -> new Component(c.layer(), c.provider(), c.model(), c.unit(),
                        c.quantity(), c.providerCost())).toList(),
                detail.twilio() == null ? null : new Twilio(detail.twilio().callSid(), detail.twilio().status(),
                        detail.twilio().durationSeconds()),
                withTimeline ? detail.timeline().stream()
                        .map(step -> new Step(step.status(), step.occurredAt(), step.endedReason())).toList() : null);
    }
}
