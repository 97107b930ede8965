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

    /** How the fake fails once {@link #SERVE_BEFORE_FAILING} requests have been answered. */
    enum Cut {
        /** Stripe did the work, but the answer never arrives (the connection drops): the worst case for duplicates. */
        DROP_AFTER_PROCESSING,
        /** Stripe (or a proxy in front of it) answers 500 without doing anything. */
        ERROR_BEFORE_PROCESSING
    }

    /** Requests still answered before every further one fails; negative: never fail. */
    static final java.util.concurrent.atomic.AtomicInteger SERVE_BEFORE_FAILING = new java.util.concurrent.atomic.AtomicInteger(-1);
    static volatile Cut cut = Cut.DROP_AFTER_PROCESSING;
    /** Like Stripe: the first successful answer per idempotency key, with the parameters it was made for. */
    static final java.util.Map<String, String[]> BY_KEY = new java.util.concurrent.ConcurrentHashMap<>();
    /** What the fake Stripe really created (not replayed): "invoiceitem in_x 16", "invoice in_x", "customer". */
    static final List<String> CREATED = new CopyOnWriteArrayList<>();
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
        SERVE_BEFORE_FAILING.set(-1);
        CREATED.clear();
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

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} after {1} requests")
    @org.junit.jupiter.params.provider.CsvSource({"DROP_AFTER_PROCESSING, 0", "DROP_AFTER_PROCESSING, 1",
            "DROP_AFTER_PROCESSING, 2", "DROP_AFTER_PROCESSING, 3", "DROP_AFTER_PROCESSING, 4",
            "ERROR_BEFORE_PROCESSING, 0", "ERROR_BEFORE_PROCESSING, 2", "ERROR_BEFORE_PROCESSING, 4"})
    void aPushCutOffMidInvoiceAndRetriedCreatesEveryInvoiceItemExactlyOnce(Cut how, int servedBeforeTheCut) {
        cut = how;
        SERVE_BEFORE_FAILING.set(servedBeforeTheCut);
        Http.Response failed = push();
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(failed.json().path("status").asString()).isEqualTo("FAILED");
        assertThat(failed.json().path("error").asString()).isNotBlank();

        SERVE_BEFORE_FAILING.set(-1);
        Http.Response retried = push();
        assertThat(retried.json().path("status").asString()).as(retried.toString()).isEqualTo("PUSHED");
        String stripeInvoice = stripeInvoiceId("vl-invoice-" + invoiceId);
        assertThat(retried.json().path("stripeInvoiceId").asString()).isEqualTo(stripeInvoice);
        // one customer, one draft, each line's item once (16 + 3 cents), finalised once: nothing twice
        assertThat(CREATED).containsExactly("customer", "invoice " + stripeInvoice, "invoiceitem " + stripeInvoice + " 16",
                "invoiceitem " + stripeInvoice + " 3", "finalized " + stripeInvoice);
        assertThat(REQUESTS).filteredOn(r -> r.idempotencyKey() == null && r.method().equals("POST")).isEmpty();
        // and the push is done: pushing again sends nothing
        REQUESTS.clear();
        assertThat(push().json().path("status").asString()).isEqualTo("PUSHED");
        assertThat(REQUESTS).isEmpty();
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

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String param(String params, String name) {
        for (String pair : params.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                String params = java.net.URLDecoder.decode(body, StandardCharsets.UTF_8);
                REQUESTS.add(new Recorded(exchange.getRequestMethod(), path, key, params));
                boolean failing = SERVE_BEFORE_FAILING.get() >= 0 && SERVE_BEFORE_FAILING.getAndDecrement() == 0;
                if (failing) {
                    SERVE_BEFORE_FAILING.set(0);
                }
                if (failing && cut == Cut.ERROR_BEFORE_PROCESSING) {
                    respond(exchange, 500, "{\"error\":{\"type\":\"api_error\",\"message\":\"test outage\"}}");
                    return;
                }
                String[] stored = key == null ? null : BY_KEY.get(key);
                String json;
                int status = 200;
                if (stored != null && !stored[0].equals(path + "?" + params)) {
                    // Stripe refuses a key reused with other parameters
                    status = 400;
                    json = "{\"error\":{\"type\":\"idempotency_error\",\"message\":\"Keys for idempotent requests "
                            + "can only be used with the same parameters they were first used with.\"}}";
                } else if (stored != null) {
                    json = stored[1];
                } else if (path.equals("/v1/customers")) {
                    json = "{\"id\":\"cus_fake\",\"object\":\"customer\"}";
                    CREATED.add("customer");
                } else if (path.equals("/v1/invoices")) {
                    // like Stripe: one invoice per idempotency key
                    json = "{\"id\":\"" + stripeInvoiceId(key) + "\",\"object\":\"invoice\",\"status\":\"draft\"}";
                    CREATED.add("invoice " + stripeInvoiceId(key));
                } else if (path.equals("/v1/invoiceitems")) {
                    json = "{\"id\":\"ii_" + REQUESTS.size() + "\",\"object\":\"invoiceitem\"}";
                    CREATED.add("invoiceitem " + param(params, "invoice") + " " + param(params, "amount"));
                } else if (path.endsWith("/finalize") && FAIL_FINALIZE.get()) {
                    status = 400;
                    json = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"test failure\"}}";
                } else {
                    json = "{\"id\":\"" + path.split("/")[3] + "\",\"object\":\"invoice\",\"status\":\"open\"}";
                    CREATED.add("finalized " + path.split("/")[3]);
                }
                if (status == 200 && key != null) {
                    BY_KEY.putIfAbsent(key, new String[] {path + "?" + params, json});
                }
                if (failing) {
                    // the work is done and remembered under its key, but the answer is lost
                    throw new IOException("test: connection dropped");
                }
                respond(exchange, status, json);
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
