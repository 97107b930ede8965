package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Numbers and dates that eat memory or overflow the calendar (issue 25, item 5): an amount's size is its
 * exponent, not its length, and a year such as +999999999 parses. Each is refused with a short 400 that does
 * not echo it, before any arithmetic; API bodies are limited as webhook bodies are; error bodies name the
 * field, never Jackson or our classes.
 */
@IntegrationTest
class InputBoundsIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    UserService users;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    JdbcClient jdbc;

    Http http;
    Customer customer;
    String session;
    String key;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        customer = fixtures.customer("bounds-" + suffix);
        key = fixtures.apiKey(customer);
        users.create("bounds-" + suffix, "Bo", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        session = http.signIn("bounds-" + suffix, "password-123");
    }

    Http.Response putCap(String json) {
        return http.put("/api/v1/spend/cap", "application/json", json).header("Cookie", session)
                .header("X-Requested-With", "XMLHttpRequest").send();
    }

    @Test
    void aCapWithAHugeOrTinyExponentIsAShort400ThatDoesNotEchoItAndChangesNothing() {
        for (String amount : List.of("1e999999999", "1e2000000", "\"1e2000000\"", "1e-999999999", "-1e999999999",
                "123456789012345678", "0.0000000000001")) {
            Http.Response refused = putCap("{\"amount\": " + amount + "}");

            assertThat(refused.status()).as("amount %s: %s", amount, refused).isEqualTo(400);
            assertThat(refused.body()).as("amount %s", amount).hasSizeLessThan(300).contains("amount")
                    .doesNotContain("999999999").doesNotContain("2000000").doesNotContain("12345678901");
            assertThat(spendCaps.status(customer).customerCap()).as("after %s", amount).isNull();
        }

        Http.Response accepted = putCap("{\"amount\": 100}");
        assertThat(accepted.status()).as("positive control: %s", accepted).isEqualTo(200);
        assertThat(spendCaps.status(customer).customerCap()).isEqualByComparingTo(new BigDecimal("100"));
    }

    @Test
    void aWebhookCostWithAHugeExponentIsRefusedInAFewBytesAndLoggedInAFew() {
        String report = Samples.fresh().text(Samples.EOCR);
        assertThat(report).contains("\"cost\": 0.338285");
        String poisoned = report.replace("\"cost\": 0.338285", "\"cost\": 1e120000000");

        Http.Response refused = http.post("/webhooks/vapi", "application/json", poisoned)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();

        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.body()).hasSizeLessThan(500).doesNotContain("0000000000");
        long eventId = refused.json().path("detail").path("eventId").asLong();
        Integer logged = jdbc.sql("select length(error) from ingestion_webhook_event where id = :id")
                .param("id", eventId).query(Integer.class).single();
        assertThat(logged).as("the webhook log's error").isLessThan(300);
        assertThat(http.post("/webhooks/vapi", "application/json", Samples.fresh().text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send().status()).as("positive control").isEqualTo(200);
    }

    @Test
    void outOfRangeMonthsAndDatesAre400OnCustomerAndFinanceRoutes() {
        String month = "%2B999999999-12";
        String instant = "%2B999999999-12-31T00:00:00Z";
        for (String path : List.of("/api/v1/usage/summary?month=" + month, "/api/v1/guards?month=" + month,
                "/api/v1/calls?from=" + instant, "/api/v1/calls.csv?from=" + instant)) {
            Http.Response answer = http.get(path).bearer(key).send();
            assertThat(answer.status()).as("GET %s: %s", path, answer).isEqualTo(400);
            assertThat(answer.body()).doesNotContain("999999999");
        }
        for (String path : List.of("/api/admin/v1/revenue?month=" + month, "/api/admin/v1/margins?month=" + month,
                "/api/admin/v1/customers/" + customer.externalId() + "/reconciliation?month=" + month)) {
            Http.Response answer = http.get(path).bearer(TestFixtures.ADMIN_TOKEN).send();
            assertThat(answer.status()).as("GET %s: %s", path, answer).isEqualTo(400);
        }
        Http.Response grant = http.post("/api/admin/v1/customers/" + customer.externalId() + "/credits",
                "application/json", "{\"amount\": \"10\", \"effectiveFrom\": \"+999999999-12-31T00:00:00Z\", "
                        + "\"priority\": 1, \"reason\": \"r\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(grant.status()).as("%s", grant).isEqualTo(400);
        assertThat(grant.body()).doesNotContain("999999999");

        assertThat(http.get("/api/v1/usage/summary?month=2026-11").bearer(key).send().status())
                .as("positive control").isEqualTo(200);
        assertThat(http.get("/api/admin/v1/margins?month=2026-11").bearer(TestFixtures.ADMIN_TOKEN).send().status())
                .as("positive control").isEqualTo(200);
    }

    @Test
    void apiBodiesPastTheLimitAre413WhetherDeclaredOrChunked() throws Exception {
        byte[] big = ("{\"amount\": 1, \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes();
        Http.Response declared = http.post("/api/admin/v1/customers/" + customer.externalId() + "/credits",
                "application/json", big).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(declared.status()).as("%s", declared).isEqualTo(413);

        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(http.baseUrl() + "/api/admin/v1/customers/" + customer.externalId() + "/credits"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestFixtures.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as("chunked: %s", chunked.body()).isEqualTo(413);

        assertThat(putCap("{\"amount\": 5, \"pad\": \"" + "x".repeat(1000) + "\"}").status())
                .as("positive control: a body under the limit").isEqualTo(200);
    }

    @Test
    void errorBodiesNameTheFieldNotJacksonOrOurClasses() {
        for (String body : List.of("{\"amount\": {\"x\": 1}}", "{\"amount\": [1]}", "{\"amount\": 1", "[]")) {
            Http.Response refused = putCap(body);
            assertThat(refused.status()).as("%s: %s", body, refused).isEqualTo(400);
            assertThat(refused.body()).as(body).doesNotContain("com.voiceledger").doesNotContain("tools.jackson")
                    .doesNotContain("java.").doesNotContain("Cannot deserialize").doesNotContain("$");
        }
    }
}
