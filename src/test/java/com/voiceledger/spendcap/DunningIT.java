package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Dunning over real HTTP with its scheduler on (every half second) and the clock moved across the ladder
 * (decision 0088): Stripe reports a payment failed through its signed webhook; three days later the customer is
 * reminded, at fourteen its calls are refused with reason {@code overdue}, at thirty it is suspended; finance can
 * pause it; Stripe's {@code invoice.paid} lifts everything at the next tick. Each step is audited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "stripe.webhook-secret=" + DunningIT.WEBHOOK_SECRET, "voiceledger.dunning.poll=500ms",
        "voiceledger.dunning.poll-start=500ms"})
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class DunningIT {

    static final String WEBHOOK_SECRET = "whsec_dunning";
    static final MutableClock CLOCK = MutableClock.INSTANCE;

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    InvoiceService invoices;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    AuditLog audit;

    @Test
    void aFailedPaymentClimbsTheLadderToOverdueAndSuspensionAndItsPaymentLiftsEverything() throws Exception {
        Instant failed = Instant.parse("2026-12-02T09:00:00Z");
        CLOCK.set(failed.plus(Duration.ofHours(1)));
        Customer customer = fixtures.customer("dunning-" + UUID.randomUUID().toString().substring(0, 8));
        String key = fixtures.apiKey(customer);
        long invoiceId = invoices.close(customer, YearMonth.of(2026, 11)).invoice().id();
        String stripeInvoice = "in_dunning_" + invoiceId;
        // what a push leaves behind (pushes are StripeIT's): the invoice linked to its Stripe twin
        jdbc.sql("""
                insert into stripe_invoice_push (invoice_id, customer_id, status, stripe_invoice_id, attempts, updated_at)
                values (:invoice, :customer, 'PUSHED', :stripe, 1, now())
                """).param("invoice", invoiceId).param("customer", customer.id().value()).param("stripe", stripeInvoice)
                .update();

        assertThat(stripeEvent("invoice.payment_failed", stripeInvoice, failed)).isEqualTo(200);
        awaitCase(customer, "FAILED");
        assertThat(admit(key).path("allowed").asBoolean()).as("just failed: calls go on").isTrue();

        CLOCK.set(failed.plus(Duration.ofDays(3)).plusSeconds(60));
        awaitCase(customer, "REMINDED");
        assertThat(admit(key).path("allowed").asBoolean()).as("reminded: calls go on").isTrue();
        assertThat(customerAlerts(key)).as("the reminder is announced to the customer").contains("dunning_reminded");

        CLOCK.set(failed.plus(Duration.ofDays(14)).plusSeconds(60));
        awaitCase(customer, "OVERDUE");
        JsonNode refused = admit(key);
        assertThat(refused.path("allowed").asBoolean()).isFalse();
        assertThat(refused.path("reason").asString()).isEqualTo("overdue");

        Http.Response unclear = new Http(port).put("/api/admin/v1/customers/" + customer.externalId() + "/dunning",
                "application/json", "{\"reason\": \"no paused given\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(unclear.status()).as("neither pause nor resume: %s", unclear).isEqualTo(400);
        assertThat(pause(customer, true).status()).isEqualTo(200);
        assertThat(admit(key).path("allowed").asBoolean()).as("paused by finance: calls go on").isTrue();
        assertThat(pause(customer, false).status()).isEqualTo(200);
        assertThat(admit(key).path("reason").asString()).as("resumed").isEqualTo("overdue");

        CLOCK.set(failed.plus(Duration.ofDays(30)).plusSeconds(60));
        awaitCase(customer, "SUSPENDED");
        assertThat(admit(key).path("reason").asString()).startsWith("suspended");

        assertThat(stripeEvent("invoice.paid", stripeInvoice, failed.plus(Duration.ofDays(30)))).isEqualTo(200);
        await("the case ends at the next tick", () -> dunningCase(customer) == null);
        JsonNode admitted = admit(key);
        assertThat(admitted.path("allowed").asBoolean()).as("paid: calls go on (%s)", admitted).isTrue();
        assertThat(audit.entries("customer " + customer.externalId(), 20)).extracting(entry -> entry.action())
                .contains("dunning started", "dunning reminded", "dunning overdue", "dunning suspended",
                        "dunning paused", "dunning resumed", "dunning ended", "customer suspended", "customer resumed");
    }

    @Test
    void aPaymentThatNeverFailedOpensNoCase() throws Exception {
        Instant now = Instant.parse("2026-12-02T09:00:00Z");
        CLOCK.set(now);
        Customer customer = fixtures.customer("dunning-paid-" + UUID.randomUUID().toString().substring(0, 8));
        String key = fixtures.apiKey(customer);
        long invoiceId = invoices.close(customer, YearMonth.of(2026, 11)).invoice().id();
        jdbc.sql("""
                insert into stripe_invoice_push (invoice_id, customer_id, status, stripe_invoice_id, attempts, updated_at)
                values (:invoice, :customer, 'PUSHED', :stripe, 1, now())
                """).param("invoice", invoiceId).param("customer", customer.id().value())
                .param("stripe", "in_dunning_" + invoiceId).update();
        assertThat(stripeEvent("invoice.paid", "in_dunning_" + invoiceId, now)).isEqualTo(200);

        CLOCK.set(now.plus(Duration.ofDays(40)));
        Thread.sleep(1_500); // three ticks
        assertThat(dunningCase(customer)).isNull();
        assertThat(admit(key).path("allowed").asBoolean()).isTrue();
    }

    private void awaitCase(Customer customer, String step) throws InterruptedException {
        await("dunning step " + step, () -> {
            JsonNode found = dunningCase(customer);
            return found != null && found.path("step").asString().equals(step);
        });
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("waited for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private JsonNode dunningCase(Customer customer) {
        Http.Response response = new Http(port).get("/api/admin/v1/dunning").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        for (JsonNode found : response.json()) {
            if (found.path("customer").asString().equals(customer.externalId())) {
                return found;
            }
        }
        return null;
    }

    private Http.Response pause(Customer customer, boolean paused) {
        return new Http(port).put("/api/admin/v1/customers/" + customer.externalId() + "/dunning", "application/json",
                "{\"paused\": " + paused + ", \"reason\": \"agreed a payment plan\"}").bearer(TestFixtures.ADMIN_TOKEN)
                .send();
    }

    private JsonNode admit(String key) {
        Http.Response response = new Http(port).post("/api/v1/admission", "application/json",
                "{\"callId\": \"" + UUID.randomUUID() + "\"}").bearer(key).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private String customerAlerts(String key) {
        return new Http(port).get("/api/v1/alerts").bearer(key).send().body();
    }

    private int stripeEvent(String type, String stripeInvoice, Instant created) {
        String event = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"object\":\"event\",\"type\":\"" + type
                + "\",\"created\":" + created.getEpochSecond() + ",\"api_version\":\"2025-01-01\",\"data\":{\"object\":"
                + "{\"id\":\"" + stripeInvoice + "\",\"object\":\"invoice\"}}}";
        long now = CLOCK.instant().getEpochSecond(); // checked against the application's clock
        return new Http(port).post("/webhooks/stripe", "application/json", event)
                .header("Stripe-Signature", "t=" + now + ",v1=" + hmac(now + "." + event)).send().status();
    }

    private static String hmac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
