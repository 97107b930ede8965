package com.voiceledger.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.voiceledger.shared.ApiError;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /webhooks/stripe}: {@code invoice.paid} and {@code invoice.payment_failed} set the
 * payment status of the pushed invoice, in the order Stripe made the events (see {@link PaymentStatuses});
 * an event for an invoice not linked yet is kept and applied on link. The {@code Stripe-Signature} is
 * checked with a 300 s tolerance against our clock; a redelivered event changes nothing.
 */
@RestController
class StripeWebhookController {

    static final long TOLERANCE_SECONDS = 300;

    private final StripeProperties properties;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final PaymentStatuses payments;

    StripeWebhookController(StripeProperties properties, JdbcClient jdbc, JsonMapper json, Clock clock,
            PaymentStatuses payments) {
        this.payments = payments;
        this.properties = properties;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping(path = "/webhooks/stripe", produces = MediaType.APPLICATION_JSON_VALUE)
    @Transactional
    ResponseEntity<?> receive(@RequestBody(required = false) String payload,
            @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        if (properties.webhookSecret() == null || properties.webhookSecret().isBlank()) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .body(ApiError.of("Stripe webhooks are not configured on this server (set STRIPE_WEBHOOK_SECRET)"));
        }
        Event event;
        try {
            event = com.stripe.net.Webhook.constructEvent(payload == null ? "" : payload,
                    signature == null ? "" : signature, properties.webhookSecret(), TOLERANCE_SECONDS, clock);
        } catch (SignatureVerificationException e) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(ApiError.of("invalid Stripe-Signature"));
        } catch (RuntimeException e) {
            return ResponseEntity.badRequest().body(ApiError.of("not a Stripe event"));
        }
        String paymentStatus = PaymentStatuses.statusOf(event.getType());
        JsonNode object = json.readTree(payload).path("data").path("object");
        String stripeInvoiceId = paymentStatus == null ? null : object.path("id").asString("");
        Instant created = event.getCreated() == null ? clock.instant() : Instant.ofEpochSecond(event.getCreated());
        int fresh = jdbc.sql("""
                insert into stripe_event (id, type, received_at, payload, stripe_created, stripe_invoice_id, applied)
                values (:id, :type, :now, :payload, :created, :stripeInvoiceId, :applied)
                on conflict do nothing
                """)
                .param("id", event.getId()).param("type", event.getType())
                .param("now", Timestamp.from(clock.instant())).param("payload", payload)
                .param("created", Timestamp.from(created)).param("stripeInvoiceId", stripeInvoiceId)
                .param("applied", paymentStatus == null).update();
        if (fresh == 0) {
            return ResponseEntity.ok(Map.of("status", "duplicate"));
        }
        if (paymentStatus == null) {
            return ResponseEntity.ok(Map.of("status", "ignored"));
        }
        return ResponseEntity.ok(Map.of("status", switch (payments.apply(event.getId(), stripeInvoiceId, paymentStatus, created)) {
            case RECORDED -> "recorded";
            case OLDER_THAN_SHOWN -> "older than the status shown";
            // kept: applied when the push links the invoice (a redelivery is a duplicate, and that is fine)
            case WAITING_FOR_INVOICE -> "unknown invoice (kept until it is linked)";
        }));
    }
}
