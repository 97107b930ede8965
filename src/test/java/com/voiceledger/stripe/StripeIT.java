package com.voiceledger.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real stripe-java client against a local server that records every request: what was sent,
 * with which idempotency keys and amounts, and that a retried push creates nothing twice.
 */
@IntegrationTest
class StripeIT {

    record Recorded(String method, String path, String idempotencyKey, String body) {
    }

    static final List<Recorded> REQUESTS = new CopyOnWriteArrayList<>();
    static final AtomicBoolean FAIL_FINALIZE = new AtomicBoolean();
    static final HttpServer FAKE_STRIPE = start();
    static final String WEBHOOK_SECRET = "whsec_test";

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("stripe.api-key", () -> "sk_test_voiceledger");
        registry.add("stripe.webhook-secret", () -> WEBHOOK_SECRET);
        registry.add("stripe.api-base", () -> "http://127.0.0.1:" + FAKE_STRIPE.getAddress().getPort());
        registry.add("voiceledger.stripe.push-poll", () -> "1h");
        registry.add("voiceledger.stripe.push-poll-start", () -> "1h");
    }

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    BillingRuns runs;

    Http http;
    Samples samples;
    Customer customer;
    long invoiceId;

    @BeforeEach
    void closeAMonth() {
        http = new Http(port);
        samples = Samples.fresh().onDay(java.time.LocalDate.of(2019, 5, 10));
        customer = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Stripe Co", "USD", "UTC"));
        http.post("/api/admin/v1/rate-card/versions", "application/json", """
                {"effectiveFrom": "2019-05-01T00:00:00Z", "currency": "USD", "reason": "stripe test",
                 "entries": [{"layer": "platform", "provider": "vapi", "model": "*", "unit": "minute", "unitPrice": "0.05"},
                             {"layer": "stt", "provider": "*", "model": "*", "unit": "minute", "unitPrice": "0.01"}]}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        http.post("/api/admin/v1/rate-card/versions", "application/json", """
                {"effectiveFrom": "2019-06-01T00:00:00Z", "currency": "USD", "reason": "fence",
                 "entries": [{"layer": "other", "provider": "fence", "model": "*", "unit": "token", "unitPrice": "0"}]}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        long run = runs.start(YearMonth.of(2019, 5), customer, "test");
        runs.runQueued();
        invoiceId = runs.get(run).results().getFirst().invoiceId();
        REQUESTS.clear();
        FAIL_FINALIZE.set(false);
    }

    Http.Response push() {
        return http.post("/api/admin/v1/invoices/" + invoiceId + "/stripe-push", "application/json", "")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    @Test
    void aFinalisedInvoiceIsPushedAsCustomerInvoiceOneItemPerLineAndFinalisedWithIdempotencyKeys() {
        Http.Response pushed = push();
        assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
        assertThat(pushed.json().path("status").asString()).isEqualTo("PUSHED");
        assertThat(REQUESTS).extracting(Recorded::path).containsExactly("/v1/customers", "/v1/invoices",
                "/v1/invoiceitems", "/v1/invoiceitems", "/v1/invoices/" + stripeInvoiceId("vl-invoice-" + invoiceId) + "/finalize");
        // lines 1-5 (analysis, llm) have no price in this test and amount 0: nothing to send for them;
        // line 6 is platform, line 7 stt (lines are ordered by layer, provider, model, unit)
        assertThat(REQUESTS).extracting(Recorded::idempotencyKey).containsExactly("vl-customer-" + customer.id(),
                "vl-invoice-" + invoiceId, "vl-invoice-" + invoiceId + "-line-6", "vl-invoice-" + invoiceId + "-line-7",
                "vl-invoice-" + invoiceId + "-finalize");
        // platform 3.2 × 0.05 = 0.16 → 16 cents; stt 3.2 × 0.01 = 0.032 → 0.03 → 3 cents
        assertThat(REQUESTS.get(2).body()).contains("amount=16").contains("currency=usd")
                .contains("metadata[voiceledger_invoice_id]=" + invoiceId);
        assertThat(REQUESTS.get(3).body()).contains("amount=3");
        assertThat(REQUESTS.get(1).body()).contains("customer=cus_fake").contains("auto_advance=false");

        REQUESTS.clear();
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        assertThat(REQUESTS).isEmpty();
    }

    @Test
    void aFailedPushIsVisibleAndItsRetryReusesTheSameKeysSoNothingIsCreatedTwice() {
        FAIL_FINALIZE.set(true);
        Http.Response failed = push();
        assertThat(failed.json().path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.json().path("error").asString()).isNotBlank();
        List<String> firstKeys = REQUESTS.stream().map(Recorded::idempotencyKey).distinct().toList();

        FAIL_FINALIZE.set(false);
        REQUESTS.clear();
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        List<String> retryKeys = REQUESTS.stream().map(Recorded::idempotencyKey).filter(k -> !k.startsWith("vl-customer"))
                .distinct().toList();
        assertThat(retryKeys).isSubsetOf(firstKeys);
        assertThat(REQUESTS).extracting(Recorded::path).doesNotContain("/v1/customers");
    }

    @Test
    void stripeWebhooksWithAValidSignatureSetThePaymentStatusAndOthersAreRefused() {
        push();
        String payload = "{\"id\":\"evt_" + invoiceId + "\",\"object\":\"event\",\"type\":\"invoice.paid\","
                + "\"api_version\":\"2025-01-01\",\"data\":{\"object\":{\"id\":\"" + stripeInvoiceId("vl-invoice-" + invoiceId)
                + "\",\"object\":\"invoice\"}}}";
        long now = Instant.now().getEpochSecond();
        Http.Response forged = http.post("/webhooks/stripe", "application/json", payload)
                .header("Stripe-Signature", "t=" + now + ",v1=" + "0".repeat(64)).send();
        assertThat(forged.status()).isEqualTo(401);
        Http.Response stale = http.post("/webhooks/stripe", "application/json", payload)
                .header("Stripe-Signature", signature(payload, now - 301)).send();
        assertThat(stale.status()).isEqualTo(401);

        Http.Response paid = http.post("/webhooks/stripe", "application/json", payload)
                .header("Stripe-Signature", signature(payload, now)).send();
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        assertThat(paid.json().path("status").asString()).isEqualTo("recorded");
        assertThat(http.post("/webhooks/stripe", "application/json", payload)
                .header("Stripe-Signature", signature(payload, now)).send().json().path("status").asString())
                .isEqualTo("duplicate");
        String key = fixtures.apiKey(customer);
        assertThat(http.get("/api/v1/invoices/" + invoiceId).bearer(key).send().json().path("paymentStatus").asString())
                .isEqualTo("PAID");
    }

    static String signature(String payload, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String stripeInvoiceId(String idempotencyKey) {
        return "in_" + idempotencyKey.replace('-', '_');
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                REQUESTS.add(new Recorded(exchange.getRequestMethod(), path,
                        exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        java.net.URLDecoder.decode(body, StandardCharsets.UTF_8)));
                String json;
                int status = 200;
                if (path.equals("/v1/customers")) {
                    json = "{\"id\":\"cus_fake\",\"object\":\"customer\"}";
                } else if (path.equals("/v1/invoices")) {
                    // like Stripe: one invoice per idempotency key
                    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                    json = "{\"id\":\"" + stripeInvoiceId(key) + "\",\"object\":\"invoice\",\"status\":\"draft\"}";
                } else if (path.equals("/v1/invoiceitems")) {
                    json = "{\"id\":\"ii_" + REQUESTS.size() + "\",\"object\":\"invoiceitem\"}";
                } else if (path.endsWith("/finalize") && FAIL_FINALIZE.get()) {
                    status = 400;
                    json = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"test failure\"}}";
                } else {
                    json = "{\"id\":\"" + path.split("/")[3] + "\",\"object\":\"invoice\",\"status\":\"open\"}";
                }
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
