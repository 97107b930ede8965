package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.security.Role;
import com.voiceledger.security.UserService;
import com.voiceledger.support.Browserless;
import com.voiceledger.support.Http;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.TestFixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * What a contract allows, enforced at admission over real HTTP (issue #29): calls in progress per customer
 * and per assistant, freed by an ended status update or by expiry after the maximum duration; models on an
 * allow-list; the maximum duration in the answer; exactly the limit admitted under a burst of parallel requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class AdmissionLimitsIT {

    static final MutableClock CLOCK = MutableClock.INSTANCE;

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    UserService users;

    static final Map<String, String> JSON_WRITE = Map.of("X-Requested-With", "XMLHttpRequest");

    Http http() {
        return new Http(port);
    }

    Customer customerWithLimits(String limits) {
        Customer customer = fixtures.customer("limits-" + UUID.randomUUID().toString().substring(0, 8));
        Http.Response response = http().post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2026-01-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "reason": "limits test", "limits": %s}
                """.formatted(limits)).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return customer;
    }

    JsonNode admit(String key, String json) {
        Http.Response response = http().post("/api/v1/admission", "application/json", json).bearer(key).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    JsonNode admit(String key, String assistant, String callId) {
        return admit(key, "{\"assistantId\": \"%s\", \"callId\": \"%s\"}".formatted(assistant, callId));
    }

    void ended(Customer customer, String callId, String assistant) {
        String body = """
                {"message": {"type": "status-update", "status": "ended", "endedReason": "customer-ended-call",
                  "timestamp": %d,
                  "call": {"id": "%s", "orgId": "org-limits", "type": "webCall", "assistantId": "%s",
                    "assistantOverrides": {"metadata": {"customerId": "%s"}}, "createdAt": "%s"}}}
                """.formatted(CLOCK.instant().toEpochMilli(), callId, assistant, customer.externalId(), CLOCK.instant());
        Http.Response response = http().post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @Test
    void callsInProgressAreLimitedPerCustomerAndPerAssistantAndAnEndedCallFreesItsSlot() {
        CLOCK.set("2026-06-10T12:00:00Z");
        Customer customer = customerWithLimits("""
                {"concurrentCalls": 2, "concurrentCallsPerAssistant": 1, "maxCallSeconds": 600}""");
        String key = fixtures.apiKey(customer);

        JsonNode first = admit(key, "sales", "call-1-" + customer.externalId());
        assertThat(first.path("allowed").asBoolean()).isTrue();
        assertThat(first.path("maxDurationSeconds").asInt()).isEqualTo(600);

        JsonNode sameAssistant = admit(key, "sales", "call-2-" + customer.externalId());
        assertThat(sameAssistant.path("allowed").asBoolean()).isFalse();
        assertThat(sameAssistant.path("reason").asString()).isEqualTo("assistant_concurrency_limit");

        assertThat(admit(key, "support", "call-3-" + customer.externalId()).path("allowed").asBoolean())
                .as("another assistant of the same customer").isTrue();
        JsonNode third = admit(key, "billing", "call-4-" + customer.externalId());
        assertThat(third.path("allowed").asBoolean()).isFalse();
        assertThat(third.path("reason").asString()).isEqualTo("concurrency_limit");

        JsonNode concurrency = http().get("/api/v1/concurrency").bearer(key).send().json();
        assertThat(concurrency.path("limit").asInt()).isEqualTo(2);
        assertThat(concurrency.path("inUse").asInt()).isEqualTo(2);
        assertThat(concurrency.path("peakToday").asInt()).isEqualTo(2);
        assertThat(concurrency.path("byAssistant")).hasSize(2);
        assertThat(concurrency.path("byAssistant").get(0).path("assistantId").asString()).isEqualTo("sales");
        assertThat(concurrency.path("byAssistant").get(0).path("limit").asInt()).isEqualTo(1);

        // the platform says the first call ended: its slot is free at once, for this assistant too
        CLOCK.set("2026-06-10T12:03:00Z");
        ended(customer, "call-1-" + customer.externalId(), "sales");
        assertThat(admit(key, "sales", "call-5-" + customer.externalId()).path("allowed").asBoolean()).isTrue();
        assertThat(admit(key, "billing", "call-6-" + customer.externalId()).path("reason").asString())
                .isEqualTo("concurrency_limit");

        // calls that never report their end free their slots after the maximum duration plus a margin
        CLOCK.set(Instant.parse("2026-06-10T12:03:00Z").plusSeconds(600).plus(AdmissionLimits.SLOT_MARGIN).plusSeconds(1));
        assertThat(admit(key, "billing", "call-7-" + customer.externalId()).path("allowed").asBoolean()).isTrue();
        assertThat(http().get("/api/v1/concurrency").bearer(key).send().json().path("inUse").asInt()).isEqualTo(1);
    }

    @Test
    void aModelOffTheContractsAllowListIsRefusedByNameAndOneOnItIsAdmitted() {
        CLOCK.set("2026-06-11T12:00:00Z");
        Customer customer = customerWithLimits("""
                {"allowedModels": ["openai/gpt-4o", "11labs/*", "deepgram/*"]}""");
        String key = fixtures.apiKey(customer);

        JsonNode refused = admit(key, """
                {"assistantId": "sales", "model": {"provider": "openai", "model": "gpt-4-turbo"},
                 "voice": {"provider": "11labs", "model": "eleven_turbo_v2"}}""");
        assertThat(refused.path("allowed").asBoolean()).isFalse();
        assertThat(refused.path("reason").asString()).isEqualTo("model_not_allowed");
        assertThat(refused.path("message").asString()).startsWith("openai/gpt-4-turbo is not allowed");

        JsonNode allowed = admit(key, """
                {"assistantId": "sales", "model": {"provider": "OpenAI", "model": "gpt-4o"},
                 "voice": {"provider": "11labs", "model": "eleven_turbo_v2"},
                 "transcriber": {"provider": "deepgram", "model": "nova-2"}}""");
        assertThat(allowed.path("allowed").asBoolean()).as(allowed.toString()).isTrue();
        assertThat(allowed.path("maxDurationSeconds").isNull()).as("no duration cap, no spend cap").isTrue();

        Http.Response bad = http().post("/api/v1/admission",
                "application/json", "{\"model\": {\"provider\": \"openai\"}}").bearer(key).send();
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void fiftyParallelAdmissionsAgainstALimitOfTenAdmitExactlyTen() throws Exception {
        CLOCK.set("2026-06-12T12:00:00Z");
        Customer customer = customerWithLimits("{\"concurrentCalls\": 10}");
        String key = fixtures.apiKey(customer);
        CyclicBarrier start = new CyclicBarrier(50);
        ExecutorService callers = Executors.newFixedThreadPool(50);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String callId = "burst-" + i + "-" + customer.externalId();
                String assistant = "assistant-" + (i % 5);
                Callable<JsonNode> call = () -> {
                    start.await();
                    return admit(key, assistant, callId);
                };
                answers.add(callers.submit(call));
            }
            int allowed = 0;
            for (Future<JsonNode> answer : answers) {
                JsonNode json = answer.get();
                if (json.path("allowed").asBoolean()) {
                    allowed++;
                } else {
                    assertThat(json.path("reason").asString()).isEqualTo("concurrency_limit");
                }
            }
            assertThat(allowed).isEqualTo(10);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void contractLimitsOutOfRangeAreRefusedWithAClearMessage() {
        Customer customer = fixtures.customer("limits-bad-" + UUID.randomUUID().toString().substring(0, 8));
        Http.Response response = http().post("/api/admin/v1/customers/" + customer.externalId() + "/contracts",
                "application/json", """
                {"effectiveFrom": "2026-01-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "reason": "limits test", "limits": {"concurrentCalls": 2, "concurrentCallsPerAssistant": 3}}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("concurrentCallsPerAssistant cannot be more than limits.concurrentCalls");
    }

    @Test
    void anAssistantOverItsBudgetIsRefusedWhileItsSiblingsAreAdmitted() {
        CLOCK.set("2026-06-13T12:00:00Z");
        Customer customer = fixtures.customer("budget-" + UUID.randomUUID().toString().substring(0, 8));
        String login = customer.externalId() + "-admin";
        users.create(login, "Bea", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        Browserless admin = new Browserless(port);
        assertThat(Browserless.signedIn(admin.signIn(login, "password-123"))).isTrue();
        String key = fixtures.apiKey(customer);

        // 1.00 for the sales assistant: each admitted call reserves the default 0.50 until it is rated
        Browserless.Answer set = admin.send("PUT", "/api/v1/assistants/sales/budget", JSON_WRITE, "application/json",
                "{\"monthlyAmount\": \"1.00\", \"thresholds\": [50, 100]}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(Http.parse(set.body()).path("monthlyAmount").asString()).isEqualTo("1.00");

        assertThat(admit(key, "sales", "b1-" + customer.externalId()).path("allowed").asBoolean()).isTrue();
        assertThat(admit(key, "sales", "b2-" + customer.externalId()).path("allowed").asBoolean()).isTrue();
        JsonNode over = admit(key, "sales", "b3-" + customer.externalId());
        assertThat(over.path("allowed").asBoolean()).isFalse();
        assertThat(over.path("reason").asString()).isEqualTo("assistant_budget");
        assertThat(admit(key, "support", "b4-" + customer.externalId()).path("allowed").asBoolean())
                .as("a sibling without a budget").isTrue();

        JsonNode budgets = http().get("/api/v1/assistants/budgets").bearer(key).send().json();
        assertThat(budgets).hasSize(1);
        assertThat(budgets.get(0).path("spent").asString()).isEqualTo("1.00");
        assertThat(budgets.get(0).path("percent").asInt()).isEqualTo(100);
        assertThat(http().get("/api/v1/alerts").bearer(key).send().json().findValuesAsString("kind"))
                .contains("ASSISTANT_BUDGET sales");

        // an API key may not change it; the admin may remove it, and the assistant is admitted again
        assertThat(http().put("/api/v1/assistants/sales/budget", "application/json", "{\"monthlyAmount\": \"9\"}")
                .bearer(key).send().status()).isEqualTo(403);
        assertThat(admin.send("DELETE", "/api/v1/assistants/sales/budget", JSON_WRITE, "application/json", "")
                .status()).isEqualTo(200);
        assertThat(admit(key, "sales", "b5-" + customer.externalId()).path("allowed").asBoolean()).isTrue();
    }
}
