package com.voiceledger.latency;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.Browserless;
import com.voiceledger.support.Http;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Latency per layer over real HTTP (issue #30, decision 0075): end-of-call reports carrying the platform's
 * performance metrics in the server SDK's shape ({@code artifact.performanceMetrics}: {@code turnLatencies[]} of
 * {@code modelLatency, voiceLatency, transcriberLatency, endpointingLatency, turnLatency} and the
 * {@code *LatencyAverage} fields) into {@code GET /api/v1/latency}; and the p95 alert raised by the scheduled
 * tick itself (polling every 200 ms here) on a clock the test moves, once per assistant and hour.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "voiceledger.latency.alert-poll=200ms", "voiceledger.latency.alert-poll-start=0s"})
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class LatencyIT {

    static final MutableClock CLOCK = MutableClock.INSTANCE;
    static final Map<String, String> JSON_WRITE = Map.of("X-Requested-With", "XMLHttpRequest");

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    UserService users;

    Http http;
    Samples samples;
    Customer acme;
    String acmeKey;

    @BeforeEach
    void setUp() {
        CLOCK.set("2026-11-20T00:00:00Z"); // far from the calls' hours: no alert tick looks at them yet
        http = new Http(port);
        samples = Samples.fresh();
        acme = fixtures.customer(samples.id(Samples.ACME));
        acmeKey = fixtures.apiKey(acme);
    }

    /** The main sample as a new call of {@code assistant} at {@code startedAt}, with these performance metrics. */
    Http.Response deliver(String assistant, String startedAt, ObjectNode metrics) {
        ObjectNode root = (ObjectNode) Http.parse(samples.text(Samples.EOCR));
        ObjectNode message = (ObjectNode) root.path("message");
        ObjectNode call = (ObjectNode) message.path("call");
        call.put("id", UUID.randomUUID().toString());
        call.put("assistantId", assistant);
        call.put("createdAt", startedAt);
        message.put("startedAt", startedAt);
        message.put("endedAt", java.time.Instant.parse(startedAt).plusSeconds(60).toString());
        if (metrics != null) {
            ((ObjectNode) message.path("artifact")).set("performanceMetrics", metrics);
        }
        Http.Response response = http.post("/webhooks/vapi", "application/json", root.toString())
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("processed");
        return response;
    }

    static ObjectNode metrics() {
        return (ObjectNode) Http.parse("{}");
    }

    JsonNode latency(String query) {
        Http.Response response = http.get("/api/v1/latency?" + query).bearer(acmeKey).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void percentilesPerLayerComeFromTheReportsPerformanceMetricsAndMissingFieldsAreTolerated() {
        String fast = "fast-" + samples.id(Samples.ACME);
        // 20 calls: turnLatencyAverage 100, 200, … 2000 ms; model latency only per turn (300 and 401: mean 350.5 → 351)
        for (int i = 1; i <= 20; i++) {
            ObjectNode metrics = metrics();
            metrics.put("turnLatencyAverage", 100 * i);
            metrics.put("voiceLatencyAverage", 180.4);
            ArrayNode turns = metrics.putArray("turnLatencies");
            turns.addObject().put("modelLatency", 300).put("transcriberLatency", 90).put("endpointingLatency", 400);
            turns.addObject().put("modelLatency", 401).put("transcriberLatency", 110).put("endpointingLatency", 200);
            deliver(fast, "2026-11-03T14:%02d:00Z".formatted(i), metrics);
        }
        // tolerated: turns with nulls, strings, a negative and absurd values, no averages; a report without metrics
        ObjectNode odd = metrics();
        ArrayNode oddTurns = odd.putArray("turnLatencies");
        oddTurns.addObject().putNull("modelLatency").put("voiceLatency", "fast").put("turnLatency", -5);
        oddTurns.add("not a turn");
        oddTurns.addObject().put("endpointingLatency", 99_999_999);
        deliver(fast, "2026-11-03T15:00:00Z", odd);
        ObjectNode notAnObject = metrics();
        notAnObject.put("turnLatencies", "none");
        deliver(fast, "2026-11-03T15:01:00Z", notAnObject);
        deliver(fast, "2026-11-03T15:02:00Z", null);

        JsonNode month = latency("month=2026-11");
        JsonNode turn = month.path("layers").path("turn");
        // nearest rank over 20 calls: p50 is the 10th (1000 ms, a bucket bound), p95 the 19th (1900 ms, in (1800, 1900])
        assertThat(turn.path("p50Ms").asInt()).isEqualTo(1000);
        assertThat(turn.path("p95Ms").asInt()).isEqualTo(1900);
        assertThat(turn.path("calls").asLong()).as("the calls that measured it, not the 23 reported").isEqualTo(20);
        // 351 ms is in the bucket (350, 375]
        assertThat(month.path("layers").path("model").path("p95Ms").asInt()).isEqualTo(375);
        // 180.4 → 180, in (175, 200]
        assertThat(month.path("layers").path("voice").path("p50Ms").asInt()).isEqualTo(200);
        // transcriber mean 100 → (75, 100]; endpointing mean 300 → (275, 300]
        assertThat(month.path("layers").path("transcriber").path("p50Ms").asInt()).isEqualTo(100);
        assertThat(month.path("layers").path("endpointing").path("p50Ms").asInt()).isEqualTo(300);
        assertThat(month.path("assistants")).hasSize(1);
        assertThat(month.path("assistants").get(0).path("assistantId").asString()).isEqualTo(fast);
        assertThat(month.path("assistants").get(0).path("layers").path("turn").path("calls").asLong()).isEqualTo(20);
        // the same, for that assistant only; none for another one, and none in another month
        assertThat(latency("month=2026-11&assistant=" + fast).path("layers").path("turn").path("p95Ms").asInt())
                .isEqualTo(1900);
        assertThat(latency("month=2026-11&assistant=someone-else").path("layers").isEmpty()).isTrue();
        assertThat(latency("month=2026-10").path("layers").isEmpty()).isTrue();
        assertThat(http.get("/api/v1/latency?month=11-2026").bearer(acmeKey).send().status()).isEqualTo(400);
    }

    static <T> T await(String what, Duration within, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + within.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + within + "; last seen: " + value);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            value = probe.get();
        }
        return value;
    }

    List<String> latencyAlerts() {
        JsonNode alerts = http.get("/api/v1/alerts").bearer(acmeKey).send().json();
        List<String> kinds = new java.util.ArrayList<>();
        alerts.forEach(alert -> {
            if (alert.path("kind").asString().startsWith("LATENCY_P95")) {
                kinds.add(alert.path("kind").asString() + " @" + alert.path("threshold").asInt());
            }
        });
        return kinds;
    }

    @Test
    void anAssistantsP95AboveItsThresholdRaisesOneAlertPerHourByTheScheduledTick() throws InterruptedException {
        String slow = "slow-" + samples.id(Samples.ACME);
        String quick = "quick-" + samples.id(Samples.ACME);
        String login = acme.externalId() + "-admin";
        users.create(login, "Ada", "password-123", Role.CUSTOMER_ADMIN, acme.id());
        Browserless admin = new Browserless(port);
        assertThat(Browserless.signedIn(admin.signIn(login, "password-123"))).isTrue();
        for (String assistant : List.of(slow, quick)) {
            Browserless.Answer set = admin.send("PUT", "/api/v1/assistants/" + assistant + "/latency-alert", JSON_WRITE,
                    "application/json", "{\"p95Ms\": 1500}");
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
        }
        // an API key may not set one; nor may a threshold be missing or absurd
        assertThat(http.put("/api/v1/assistants/" + slow + "/latency-alert", "application/json", "{\"p95Ms\": 9}")
                .bearer(acmeKey).send().status()).isEqualTo(403);
        assertThat(admin.send("PUT", "/api/v1/assistants/" + slow + "/latency-alert", JSON_WRITE, "application/json",
                "{}").status()).isEqualTo(400);
        assertThat(latency("month=2026-11").path("assistants").findValues("alertP95Ms").stream()
                .map(JsonNode::asInt).toList()).containsExactly(1500, 1500);

        // 10:00–11:00 on 2026-11-04: the slow assistant's turns take 2000 ms on 2 of 10 calls (p95 2000 > 1500),
        // the quick one's 1400 ms at most (p95 1400, not above)
        for (int i = 0; i < 10; i++) {
            ObjectNode slowTurns = metrics();
            slowTurns.put("turnLatencyAverage", i < 8 ? 900 : 2000);
            deliver(slow, "2026-11-04T10:%02d:00Z".formatted(i), slowTurns);
            ObjectNode quickTurns = metrics();
            quickTurns.put("turnLatencyAverage", i < 8 ? 900 : 1400);
            deliver(quick, "2026-11-04T10:%02d:00Z".formatted(i), quickTurns);
        }
        assertThat(latencyAlerts()).as("the clock is days later: no tick looks at that hour").isEmpty();

        CLOCK.set("2026-11-04T10:40:00Z");
        // hour 10 of the 4th is the month's hour 3 × 24 + 10 = 82
        await("the latency alert", Duration.ofSeconds(20), this::latencyAlerts, kinds -> !kinds.isEmpty());
        Thread.sleep(1000); // several more ticks over the same hour
        CLOCK.set("2026-11-04T11:20:00Z"); // hour 10 is now the last full hour: still looked at, still raised once
        Thread.sleep(1000);
        assertThat(latencyAlerts()).containsExactly("LATENCY_P95 " + slow + " @82");

        // the next hour slow again: a second alert, for that hour
        for (int i = 0; i < 2; i++) {
            ObjectNode slowTurns = metrics();
            slowTurns.put("turnLatencyAverage", 2500);
            deliver(slow, "2026-11-04T11:%02d:00Z".formatted(i), slowTurns);
        }
        await("the second hour's alert", Duration.ofSeconds(20), this::latencyAlerts, kinds -> kinds.size() == 2);
        assertThat(latencyAlerts()).containsExactlyInAnyOrder("LATENCY_P95 " + slow + " @82",
                "LATENCY_P95 " + slow + " @83");

        // removed, the slow assistant raises nothing more (its next slow hour passes unseen)
        assertThat(admin.send("DELETE", "/api/v1/assistants/" + slow + "/latency-alert", JSON_WRITE,
                "application/json", "").status()).isEqualTo(200);
        assertThat(admin.send("DELETE", "/api/v1/assistants/" + slow + "/latency-alert", JSON_WRITE,
                "application/json", "").status()).isEqualTo(404);
        ObjectNode slowTurns = metrics();
        slowTurns.put("turnLatencyAverage", 2500);
        deliver(slow, "2026-11-04T12:00:00Z", slowTurns);
        CLOCK.set("2026-11-04T12:10:00Z");
        Thread.sleep(1000);
        assertThat(latencyAlerts()).hasSize(2);
    }
}
