package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * One customer's script floods the API (or someone floods the webhook endpoint): past its budget it
 * gets 429 with Retry-After and the API's JSON error, and other customers are not slowed down.
 */
@IntegrationTest
class ApiRateLimitIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    ApiRateLimits limits;

    ApiRateLimits.Settings suiteSettings;
    Http http;
    Customer flooder;

    @BeforeEach
    void setUp() {
        suiteSettings = limits.settings();
        limits.configure(new ApiRateLimits.Settings(5, 8, 4));
        http = new Http(port);
        flooder = fixtures.customer("flood-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void restoreTheSuitesLimits() {
        limits.configure(suiteSettings);
    }

    @Test
    void anApiKeyPastItsBudgetGets429WithRetryAfterAndTheJsonError() {
        String key = fixtures.apiKey(flooder);
        for (int request = 0; request < 5; request++) {
            assertThat(http.get("/api/v1/calls").bearer(key).send().status()).as("request %s", request).isEqualTo(200);
        }

        Http.Response refused = http.get("/api/v1/calls").bearer(key).send();

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("error").asString()).contains("too many requests");
        var withHeaders = new com.voiceledger.support.Browserless(port).send("GET", "/api/v1/calls",
                java.util.Map.of("Authorization", "Bearer " + key), null, null);
        assertThat(withHeaders.header("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
    }

    @Test
    void aCustomersKeysShareOneBudgetAndOtherCustomersKeepTheirs() {
        String first = fixtures.apiKey(flooder);
        String second = fixtures.apiKey(flooder);
        for (int request = 0; request < 4; request++) {
            assertThat(http.get("/api/v1/calls").bearer(first).send().status()).isEqualTo(200);
            assertThat(http.get("/api/v1/calls").bearer(second).send().status()).isEqualTo(200);
        }

        assertThat(http.get("/api/v1/calls").bearer(second).send().status())
                .as("a fifth request of the second key, the customer's ninth").isEqualTo(429);
        String neighbour = fixtures.apiKey(fixtures.customer("calm-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(http.get("/api/v1/calls").bearer(neighbour).send().status()).isEqualTo(200);
    }

    @Test
    void acceptedWebhookDeliveriesDoNotSpendTheBudgetButRefusedOnesDo() {
        for (int delivery = 0; delivery < 6; delivery++) {
            String report = Samples.fresh().text(Samples.EOCR);
            Http.Response accepted = http.post("/webhooks/vapi", "application/json", report)
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
            assertThat(accepted.status()).as("the platform's own deliveries are never throttled: " + accepted)
                    .isEqualTo(200);
        }
        for (int delivery = 0; delivery < 4; delivery++) {
            assertThat(http.post("/webhooks/vapi", "application/json", "{}").send().status()).isEqualTo(401);
        }

        Http.Response refused = http.post("/webhooks/vapi", "application/json", Samples.fresh().text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();

        assertThat(refused.status()).as("a source that kept sending refused deliveries waits, whatever it sends now")
                .isEqualTo(429);
    }

    @Test
    void webhookDeliveriesHaveTheirOwnBudget() {
        for (int delivery = 0; delivery < 4; delivery++) {
            assertThat(http.post("/webhooks/vapi", "application/json", "{}").send().status()).isEqualTo(401);
        }

        Http.Response refused = http.post("/webhooks/vapi", "application/json", "{}").send();

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("error").asString()).contains("too many requests");
        assertThat(http.get("/api/admin/v1/customers").bearer(TestFixtures.ADMIN_TOKEN).send().status())
                .as("the API's budget is another one").isEqualTo(200);
    }
}
