package com.voiceledger.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.voiceledger.shared.ApiError;
import java.sql.Timestamp;
import java.time.Clock;
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
 * payment status of the pushed invoice. The {@code Stripe-Signature} is checked with a 300 s tolerance
 * against our clock; a redelivered event changes nothing.
 */
@RestController
class StripeWebhookController {

    static final long TOLERANCE_SECONDS = 300;

    private final StripeProperties properties;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    StripeWebhookController(StripeProperties properties, JdbcClient jdbc, JsonMapper json, Clock clock) {
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
        int fresh = jdbc.sql("""
                insert into stripe_event (id, type, received_at, payload) values (:id, :type, :now, :payload)
                on conflict do nothing
                """)
                .param("id", event.getId()).param("type", event.getType())
                .param("now", Timestamp.from(clock.instant())).param("payload", payload).update();
        if (fresh == 0) {
            return ResponseEntity.ok(Map.of("status", "duplicate"));
        }
        String paymentStatus = switch (event.getType()) {
            case "invoice.paid" -> "PAID";
            case "invoice.payment_failed" -> "PAYMENT_FAILED";
            default -> null;
        };
        if (paymentStatus == null) {
            return ResponseEntity.ok(Map.of("status", "ignored"));
        }
        JsonNode object = json.readTree(payload).path("data").path("object");
        int updated = jdbc.sql("update stripe_invoice_push set payment_status = :status, updated_at = :now "
                        + "where stripe_invoice_id = :stripeId")
                .param("status", paymentStatus).param("now", Timestamp.from(clock.instant()))
                .param("stripeId", object.path("id").asString("")).update();
        return ResponseEntity.ok(Map.of("status", updated == 1 ? "recorded" : "unknown invoice"));
    }
}
