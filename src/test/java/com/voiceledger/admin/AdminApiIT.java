package com.voiceledger.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The finance admin API, with the admin API token. */
@IntegrationTest
class AdminApiIT {

    static final HttpServer FAKE_PLATFORM = startFakePlatform();
    static final List<String> PLATFORM_REQUESTS = new CopyOnWriteArrayList<>();
    static volatile String platformCalls = "[]";

    @DynamicPropertySource
    static void platformApi(DynamicPropertyRegistry registry) {
        registry.add("voiceledger.vapi.api-base-url", () -> "http://127.0.0.1:" + FAKE_PLATFORM.getAddress().getPort());
        registry.add("voiceledger.vapi.api-key", () -> "platform-private-key");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    Http http;
    String externalId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        externalId = "cust-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Http.Response admin(Http.Request request) {
        return request.bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    Http.Response createCustomer(String json) {
        return admin(http.post("/api/admin/v1/customers", "application/json", json));
    }

    @Test
    void financeCreatesACustomerAndReadsItBack() {
        Http.Response created = createCustomer("{\"externalId\":\"" + externalId + "\",\"name\":\"Umbrella\","
                + "\"currency\":\"eur\",\"billingTimeZone\":\"Europe/Berlin\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode customer = admin(http.get("/api/admin/v1/customers/" + externalId)).json();
        assertThat(customer.path("name").asString()).isEqualTo("Umbrella");
        assertThat(customer.path("currency").asString()).isEqualTo("EUR");
        assertThat(customer.path("billingTimeZone").asString()).isEqualTo("Europe/Berlin");
        assertThat(admin(http.get("/api/admin/v1/customers")).body()).contains(externalId);
    }

    @Test
    void invalidCustomersAreRefusedWithWhatIsWrong() {
        assertThat(createCustomer("{\"externalId\":\"" + externalId + "\",\"name\":\"A\",\"currency\":\"XYZ\"}").json()
                .path("error").asString()).contains("currency");
        assertThat(createCustomer("{\"externalId\":\"has space\",\"name\":\"A\"}").status()).isEqualTo(400);
        assertThat(createCustomer("{\"externalId\":\"" + externalId + "\",\"name\":\"A\",\"billingTimeZone\":\"Mars/Base\"}")
                .json().path("error").asString()).contains("time zone");
        assertThat(createCustomer("{\"externalId\":").status()).isEqualTo(400);
        assertThat(createCustomer("{\"externalId\":\"" + externalId + "\",\"name\":\"A\"}").status()).isEqualTo(201);
        assertThat(createCustomer("{\"externalId\":\"" + externalId + "\",\"name\":\"B\"}").status()).isEqualTo(409);
        assertThat(admin(http.get("/api/admin/v1/customers/nobody-" + externalId)).status()).isEqualTo(404);
    }

    @Test
    void anApiKeyIsShownOnceStoredHashedAndWorks() {
        createCustomer("{\"externalId\":\"" + externalId + "\",\"name\":\"Keyed\"}");
        Http.Response created = admin(http.post("/api/admin/v1/customers/" + externalId + "/api-keys",
                "application/json", "{\"name\":\"billing export\"}"));
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().path("key").asString();
        assertThat(key).startsWith("vl_").hasSize(43);
        assertThat(jdbc.sql("select count(*) from security_api_key where secret_hash = ? or prefix = ?")
                .params(key, key).query(Long.class).single()).isZero();
        JsonNode listed = admin(http.get("/api/admin/v1/customers/" + externalId + "/api-keys")).json();
        assertThat(listed.get(0).path("key").isNull()).isTrue();
        assertThat(listed.get(0).path("prefix").asString()).isEqualTo(key.substring(0, 10));
        assertThat(http.get("/api/v1/calls").bearer(key).send().status()).isEqualTo(200);
    }

    @Test
    void attributionsNeedAKnownTypeAndAreUniqueAcrossCustomers() {
        createCustomer("{\"externalId\":\"" + externalId + "\",\"name\":\"One\"}");
        createCustomer("{\"externalId\":\"" + externalId + "-2\",\"name\":\"Two\"}");
        String path = "/api/admin/v1/customers/" + externalId + "/attributions";
        assertThat(admin(http.post(path, "application/json", "{\"type\":\"squadId\",\"value\":\"x\"}")).status())
                .isEqualTo(400);
        assertThat(admin(http.post(path, "application/json", "{\"type\":\"phoneNumberId\",\"value\":\"ph-" + externalId
                + "\"}")).status()).isEqualTo(201);
        assertThat(admin(http.post("/api/admin/v1/customers/" + externalId + "-2/attributions", "application/json",
                "{\"type\":\"phoneNumberId\",\"value\":\"ph-" + externalId + "\"}")).status()).isEqualTo(409);
    }

    @Test
    void theWebhookLogListsDeliveriesWithTheirStatusAndServesTheRawBody() {
        Http.Response bad = http.post("/webhooks/vapi", "application/json", "not json " + externalId)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        long eventId = bad.json().path("detail").path("eventId").asLong();
        JsonNode failed = admin(http.get("/api/admin/v1/webhook-events?status=failed&limit=1000")).json();
        assertThat(failed.toString()).contains("\"id\":" + eventId);
        assertThat(admin(http.get("/api/admin/v1/webhook-events/" + eventId + "/body")).body())
                .isEqualTo("not json " + externalId);
        assertThat(admin(http.get("/api/admin/v1/webhook-events?status=sideways")).status()).isEqualTo(400);
    }

    @Test
    void aStoredDeliveryThatFailedIsRetriedFromItsRawBody() {
        Samples samples = Samples.fresh();
        createCustomer("{\"externalId\":\"" + samples.id(Samples.ACME) + "\",\"name\":\"Retried\"}");
        // as if an earlier version had failed on it: stored, never normalised
        long eventId = jdbc.sql("""
                insert into ingestion_webhook_event (source, received_at, headers, body, status, error)
                values ('vapi', now(), '{}', ?, 'FAILED', 'internal error: a bug since fixed') returning id
                """).param(samples.text(Samples.EOCR)).query(Long.class).single();

        Http.Response retried = admin(http.post("/api/admin/v1/webhook-events/" + eventId + "/retry", "application/json", ""));
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().path("status").asString()).isEqualTo("PROCESSED");
        assertThat(jdbc.sql("select jsonb_array_length(components) from usage_call where id = ?")
                .param(samples.id(Samples.MAIN_CALL_ID)).query(Integer.class).single()).isEqualTo(9);
        assertThat(admin(http.post("/api/admin/v1/webhook-events/" + eventId + "/retry", "application/json", ""))
                .json().path("status").asString()).isEqualTo("DUPLICATE");
        assertThat(admin(http.post("/api/admin/v1/webhook-events/999999999/retry", "application/json", "")).status())
                .isEqualTo(404);
    }

    @Test
    void withoutTheTokenTheAdminApiIsA401() {
        assertThat(http.get("/api/admin/v1/customers").send().status()).isEqualTo(401);
        assertThat(http.get("/api/admin/v1/customers").bearer("not-the-token").send().status()).isEqualTo(401);
    }

    @Test
    void backfillPagesThePlatformsCallListAndIngestsMissingEndedCallsOnce() {
        Samples samples = Samples.fresh();
        createCustomer("{\"externalId\":\"" + samples.id(Samples.ACME) + "\",\"name\":\"Backfilled\"}");
        JsonNode message = Http.parse(samples.text(Samples.EOCR)).path("message");
        var call = (tools.jackson.databind.node.ObjectNode) message.path("call");
        for (String field : List.of("startedAt", "endedAt", "endedReason", "cost", "costs", "artifact")) {
            call.set(field, message.get(field));
        }
        String inProgress = "{\"id\":\"" + UUID.randomUUID() + "\",\"createdAt\":\"2026-11-03T14:06:00Z\"}";
        platformCalls = "[" + call + "," + inProgress + "]";
        PLATFORM_REQUESTS.clear();

        Http.Response report = admin(http.post("/api/admin/v1/backfill", "application/json",
                "{\"from\":\"2026-11-03T00:00:00Z\",\"to\":\"2026-11-04T00:00:00Z\"}"));
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        assertThat(report.json().path("recorded").asInt()).isEqualTo(1);
        assertThat(report.json().path("skippedNotEnded").asInt()).isEqualTo(1);
        assertThat(PLATFORM_REQUESTS.getFirst()).contains("createdAtGt=2026-11-03T00%3A00%3A00Z")
                .contains("limit=1000").contains("Bearer platform-private-key");
        assertThat(jdbc.sql("select jsonb_array_length(components) from usage_call where id = ?")
                .param(samples.id(Samples.MAIN_CALL_ID)).query(Integer.class).single()).isEqualTo(9);

        JsonNode again = admin(http.post("/api/admin/v1/backfill", "application/json",
                "{\"from\":\"2026-11-03T00:00:00Z\",\"to\":\"2026-11-04T00:00:00Z\"}")).json();
        assertThat(again.path("recorded").asInt()).isZero();
        assertThat(again.path("alreadyPresent").asInt()).isEqualTo(1);
    }

    @Test
    void backfillWithABadRangeIsA400() {
        assertThat(admin(http.post("/api/admin/v1/backfill", "application/json",
                "{\"from\":\"2026-11-04T00:00:00Z\",\"to\":\"2026-11-03T00:00:00Z\"}")).status()).isEqualTo(400);
        assertThat(admin(http.post("/api/admin/v1/backfill", "application/json", "{}")).status()).isEqualTo(400);
    }

    private static HttpServer startFakePlatform() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/call", exchange -> {
                PLATFORM_REQUESTS.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = platformCalls.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
