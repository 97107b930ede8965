package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.Signatures;
import com.voiceledger.support.TestFixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Spend caps over real HTTP: admission with reservations (also under concurrency), the platform's
 * assistant-request, threshold alerts once each, delivered signed to the customer's webhook. The
 * customers are per-minute (0.04/min), so charges do not depend on the shared rate card: the
 * sample's 192 s are 4 billable minutes = 0.16.
 */
@IntegrationTest
class SpendCapIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    Alerts alerts;
    @Autowired
    Clock clock;
    @Autowired
    SpendCaps spendCaps;

    Http http;
    Samples samples;
    Customer customer;
    String key;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        samples = Samples.fresh().onDay(LocalDate.now(clock));
        customer = fixtures.customer(samples.id(Samples.ACME));
        key = fixtures.apiKey(customer);
    }

    void contract(String cap, String thresholds) {
        Http.Response response = admin("/api/admin/v1/customers/" + customer.externalId() + "/contracts", """
                {"effectiveFrom": "%sT00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.04",
                 "reason": "capped", "spendCap": {"monthlyAmount": "%s", "alertThresholds": [%s]}}
                """.formatted(LocalDate.now(clock).withDayOfMonth(1).minusMonths(1), cap, thresholds));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    Http.Response admin(String path, String json) {
        return http.post(path, "application/json", json).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    JsonNode admit() {
        return http.post("/api/v1/admission", "application/json", "{}").bearer(key).send().json();
    }

    @Test
    void eachAdmittedCallReservesItsCostAndTheCapRefusesTheNextOnceReached() {
        contract("1.00", "50, 80, 100");
        // no recent calls: each reservation is the default 0.50
        JsonNode first = admit();
        assertThat(first.path("allowed").asBoolean()).isTrue();
        assertThat(first.path("remaining").asString()).isEqualTo("0.50");
        assertThat(admit().path("allowed").asBoolean()).isTrue();
        JsonNode third = admit();
        assertThat(third.path("allowed").asBoolean()).isFalse();
        assertThat(third.path("reason").asString()).isEqualTo("monthly spend cap of 1.00 USD reached");
        JsonNode spend = http.get("/api/v1/spend").bearer(key).send().json();
        assertThat(spend.path("reserved").asString()).isEqualTo("1.00");
        assertThat(spend.path("percent").asInt()).isEqualTo(100);
    }

    @Test
    void everyCustomersStatusAtOnceIsWhatEachOnesOwnStatusSays() {
        contract("1.00", "50, 80, 100");
        admit();
        ingestSample();
        Customer plain = fixtures.customer("plain-" + samples.id(Samples.ACME));
        Customer suspended = fixtures.customer("held-" + samples.id(Samples.ACME));
        spendCaps.suspend(suspended, true, "unpaid invoices", "test");
        spendCaps.setCustomerCap(plain, new java.math.BigDecimal("42"), "test");

        var together = spendCaps.statuses(java.util.List.of(customer, plain, suspended));
        for (Customer one : java.util.List.of(customer, plain, suspended)) {
            assertThat(together.get(one.id())).as(one.externalId()).isEqualTo(spendCaps.status(one));
        }
        assertThat(together.get(customer.id()).reserved()).isEqualByComparingTo("0.50");
        assertThat(together.get(customer.id()).rated()).isPositive();
        assertThat(together.get(suspended.id()).suspended()).isTrue();
        assertThat(together.get(plain.id()).cap()).isEqualByComparingTo("42");
    }

    void ingestSample() {
        Http.Response response = http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @Test
    void manyAdmissionsAtOnceNeverOvershootTheCapByMoreThanOneReservation() throws Exception {
        contract("1.20", "100");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            answers.add(pool.submit(() -> admit().path("allowed").asBoolean()));
        }
        int allowed = 0;
        for (Future<Boolean> answer : answers) {
            allowed += answer.get() ? 1 : 0;
        }
        pool.shutdown();
        // 0 → 0.50 → 1.00 admitted, at 1.50 ≥ 1.20 refused: 3 admissions, 0.30 over the cap (< one reservation)
        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void assistantRequestsAreRefusedWithASpokenMessageAtTheCapOrWhenSuspended() {
        contract("100", "100");
        String request = samples.text(Samples.ASSISTANT_REQUEST).replace("\"phoneCallProviderId\"",
                "\"assistantOverrides\": {\"metadata\": {\"customerId\": \"" + customer.externalId() + "\"}},\n      \"phoneCallProviderId\"");
        Http.Response allowed = http.post("/webhooks/vapi", "application/json", request)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.json().has("error")).isFalse();

        assertThat(admin("/api/admin/v1/customers/" + customer.externalId() + "/suspension",
                "{\"suspended\": true, \"reason\": \"unpaid invoices\"}").status()).isEqualTo(200);
        Http.Response refused = http.post("/webhooks/vapi", "application/json", request)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.json().path("error").asString()).contains("not available");
        assertThat(admit().path("reason").asString()).isEqualTo("suspended: unpaid invoices");
    }

    @Test
    void eachThresholdAlertsOnceAMonthAndReachesTheCustomersWebhookSigned() throws Exception {
        contract("0.20", "50, 80, 100");
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/alerts", exchange -> {
            received.add(new String[] {exchange.getRequestHeaders().getFirst("X-VoiceLedger-Signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            // as the customer admin's settings screen does (the HTTP route needs a customer admin session)
            String secret = spendCaps.setAlertWebhook(customer, "http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/alerts");
            http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
            // 0.16 of 0.20 = 80 %: the 50 % and 80 % alerts, once each
            List<String> kinds = alerts.of(customer.id(), 10).stream().map(a -> a.kind() + " " + a.threshold()).toList();
            assertThat(kinds).containsExactlyInAnyOrder("SPEND_CAP 50", "SPEND_CAP 80");
            Samples second = Samples.fresh().onDay(LocalDate.now(clock));
            http.post("/webhooks/vapi", "application/json", second.text(Samples.EOCR)
                    .replace(second.id(Samples.ACME), customer.externalId()))
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
            assertThat(alerts.of(customer.id(), 10)).extracting(Alert::threshold).containsExactlyInAnyOrder(50, 80, 100);

            alerts.deliverDue();
            assertThat(received).hasSize(3);
            for (String[] delivery : received) {
                String[] parts = delivery[0].split(",");
                long timestamp = Long.parseLong(parts[0].substring(2));
                assertThat(parts[1]).isEqualTo("v1=" + Signatures.outbound(secret, timestamp, delivery[1]));
            }
            assertThat(alerts.of(customer.id(), 10)).allMatch(a -> a.deliveryStatus().equals("DELIVERED"));
            alerts.deliverDue();
            assertThat(received).hasSize(3);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void anApiKeyMayReadButNotChangeTheCustomersSettings() {
        Http.Response change = http.put("/api/v1/spend/cap", "application/json", "{\"amount\": 5}").bearer(key).send();
        assertThat(change.status()).isEqualTo(403);
        assertThat(http.put("/api/v1/alerts/webhook", "application/json", "{\"url\": \"https://example.org/x\"}")
                .bearer(key).send().status()).isEqualTo(403);
        assertThat(http.get("/api/v1/alerts").bearer(key).send().status()).isEqualTo(200);
    }
}
