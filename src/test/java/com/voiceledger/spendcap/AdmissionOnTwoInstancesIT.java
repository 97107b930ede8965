package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.Instances;
import com.voiceledger.support.Instances.Instance;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Admission's limits hold across instances (issue #29): two application instances on one database, each
 * admitting half of a burst, admit exactly the contract's number of calls in progress and exactly what an
 * assistant's budget allows; an instance that dies with slots taken leaks none of them (its calls' end reports,
 * delivered to the other instance, free theirs; expiry frees the rest) and the limit is usable again.
 */
@IntegrationTest
class AdmissionOnTwoInstancesIT {

    static Instances instances;

    @Autowired
    TestFixtures fixtures;
    @Autowired
    AssistantBudgets budgets;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void startInstances() {
        instances = Instances.start(2);
    }

    @AfterAll
    static void stopInstances() {
        if (instances != null) {
            instances.close();
        }
    }

    Customer customerWithLimits(String externalId, String limits) {
        Customer customer = fixtures.customer(externalId);
        Http.Response response = instances.get(0).http().post("/api/admin/v1/customers/" + customer.externalId()
                + "/contracts", "application/json", """
                {"effectiveFrom": "2026-01-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                 "reason": "two-instance limits test", "limits": %s}
                """.formatted(limits)).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return customer;
    }

    static JsonNode admit(Instance instance, String key, String assistant, String callId) {
        String json = "{\"assistantId\": \"%s\", \"callId\": \"%s\"}".formatted(assistant, callId);
        // a 503 (no database connection within the pool's wait, on a loaded machine) is no answer: the platform
        // asks again, and so does this caller; only 200 answers are counted
        for (int attempt = 0; ; attempt++) {
            Http.Response response = instance.http().post("/api/v1/admission", "application/json", json).bearer(key).send();
            if (response.status() == 503 && attempt < 5) {
                continue;
            }
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            return response.json();
        }
    }

    /** 50 admissions at once, the even ones on instance 0 and the odd ones on instance 1; the answers. */
    static List<JsonNode> burst(String key, String assistantOf50, String tag) throws Exception {
        CyclicBarrier start = new CyclicBarrier(50);
        ExecutorService callers = Executors.newFixedThreadPool(50);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Instance instance = instances.get(i % 2);
                String callId = tag + "-" + i;
                String assistant = assistantOf50 != null ? assistantOf50 : "assistant-" + (i % 5);
                Callable<JsonNode> call = () -> {
                    start.await();
                    return admit(instance, key, assistant, callId);
                };
                answers.add(callers.submit(call));
            }
            List<JsonNode> json = new ArrayList<>();
            for (Future<JsonNode> answer : answers) {
                json.add(answer.get());
            }
            return json;
        } finally {
            callers.shutdownNow();
        }
    }

    static long allowed(List<JsonNode> answers) {
        return answers.stream().filter(answer -> answer.path("allowed").asBoolean()).count();
    }

    @Test
    void fiftyParallelAdmissionsOverTwoInstancesAgainstALimitOfTenAdmitExactlyTen() throws Exception {
        Customer customer = customerWithLimits("two-conc-" + UUID.randomUUID().toString().substring(0, 8),
                "{\"concurrentCalls\": 10}");
        String key = fixtures.apiKey(customer);

        List<JsonNode> answers = burst(key, null, "burst-" + customer.externalId());

        assertThat(allowed(answers)).isEqualTo(10);
        assertThat(answers).filteredOn(answer -> !answer.path("allowed").asBoolean())
                .allSatisfy(answer -> assertThat(answer.path("reason").asString()).isEqualTo("concurrency_limit"));
        // as many slots taken as answers said so
        assertThat(jdbc.sql("select count(*) from spendcap_reservation where customer_id = :id")
                .param("id", customer.id().value()).query(Integer.class).single()).isEqualTo(10);
        JsonNode concurrency = instances.get(1).http().get("/api/v1/concurrency").bearer(key).send().json();
        assertThat(concurrency.path("inUse").asInt()).isEqualTo(10);
    }

    @Test
    void fiftyParallelAdmissionsOverTwoInstancesStopAtTheAssistantsBudgetWhileASiblingIsStillAdmitted() throws Exception {
        Customer customer = fixtures.customer("two-budget-" + UUID.randomUUID().toString().substring(0, 8));
        String key = fixtures.apiKey(customer);
        // each admitted call reserves the default 0.50 until rated: a budget of 5.00 holds ten calls in progress
        budgets.set(customer, "sales", new BigDecimal("5.00"), List.of(50, 100), "test");

        List<JsonNode> answers = burst(key, "sales", "budget-" + customer.externalId());

        assertThat(allowed(answers)).as("at the edge, at most one reservation over; with 0.50 into 5.00, none")
                .isEqualTo(10);
        assertThat(answers).filteredOn(answer -> !answer.path("allowed").asBoolean())
                .allSatisfy(answer -> assertThat(answer.path("reason").asString()).isEqualTo("assistant_budget"));
        assertThat(jdbc.sql("select sum(amount) from spendcap_reservation where customer_id = :id and assistant_id = 'sales'")
                .param("id", customer.id().value()).query(BigDecimal.class).single()).isEqualByComparingTo("5.00");
        assertThat(admit(instances.get(1), key, "support", "sibling-" + customer.externalId()).path("allowed").asBoolean())
                .as("a sibling without a budget").isTrue();
    }

    @Test
    void slotsTakenOnAnInstanceThatDiesAreFreedByTheirEndReportsOrByExpiryAndTheLimitIsUsableAgain() {
        Instance doomed = instances.add();
        Instance survivor = instances.get(1);
        Samples samples = Samples.fresh();
        Customer customer = customerWithLimits(samples.id(Samples.ACME),
                "{\"concurrentCalls\": 4, \"maxCallSeconds\": 600}");
        String key = fixtures.apiKey(customer);

        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(UUID.randomUUID().toString());
            assertThat(admit(doomed, key, "sales", calls.get(i)).path("allowed").asBoolean()).isTrue();
        }
        doomed.crash(); // no end report reaches it, nothing more from it
        JsonNode full = admit(survivor, key, "sales", "after-crash-" + customer.externalId());
        assertThat(full.path("allowed").asBoolean()).isFalse();
        assertThat(full.path("reason").asString()).isEqualTo("concurrency_limit");

        // two of the dead instance's calls end, and their reports reach the survivor: their slots are free
        String report = samples.text(Samples.EOCR);
        for (String call : calls.subList(0, 2)) {
            Http.Response delivered = survivor.http().post("/webhooks/vapi", "application/json",
                    report.replace(samples.id(Samples.MAIN_CALL_ID), call))
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
            assertThat(delivered.status()).as(delivered.toString()).isEqualTo(200);
        }
        assertThat(admit(survivor, key, "sales", "freed-1-" + customer.externalId()).path("allowed").asBoolean()).isTrue();
        assertThat(admit(survivor, key, "sales", "freed-2-" + customer.externalId()).path("allowed").asBoolean()).isTrue();
        assertThat(admit(survivor, key, "sales", "full-again-" + customer.externalId()).path("reason").asString())
                .isEqualTo("concurrency_limit");

        // the other two never report: past the maximum duration plus the margin, every slot has expired
        survivor.clock().advance(Duration.ofSeconds(600).plus(AdmissionLimits.SLOT_MARGIN).plusSeconds(5));
        try {
            assertThat(survivor.http().get("/api/v1/concurrency").bearer(key).send().json().path("inUse").asInt())
                    .isZero();
            for (int i = 0; i < 4; i++) {
                assertThat(admit(survivor, key, "sales", "usable-" + i + "-" + customer.externalId())
                        .path("allowed").asBoolean()).as("slot " + i + " of 4 after expiry").isTrue();
            }
            assertThat(admit(survivor, key, "sales", "fifth-" + customer.externalId()).path("reason").asString())
                    .isEqualTo("concurrency_limit");
        } finally {
            survivor.clock().reset();
        }
    }
}
