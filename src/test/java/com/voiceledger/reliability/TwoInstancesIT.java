package com.voiceledger.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.support.Http;
import com.voiceledger.support.Instances;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two more application instances ({@link Instances}, background jobs on) beside the shared test
 * context (background jobs off), all on one database: what one instance changes, the others' jobs
 * use; work is done once. Rate card dates: 2056 (see {@link IntegrationTest}).
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    static Instances instances;

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    RatingJobs jobs;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ContractService contracts;
    @Autowired
    InvoiceService invoices;
    @Autowired
    BillingRuns runs;

    @BeforeAll
    static void startInstances() {
        // small re-rating pages, so that a job is many transactions and can be cut off in the middle
        instances = Instances.start(2, "--voiceledger.rating.job-batch=10");
    }

    @AfterAll
    static void stopInstances() {
        if (instances != null) {
            instances.close();
        }
    }

    static String platformPrice(String price) {
        return "{\"layer\":\"platform\",\"provider\":\"vapi\",\"model\":\"*\",\"unit\":\"minute\",\"unitPrice\":\"" + price + "\"}";
    }

    static Http.Response publish(Http http, String effectiveFrom, String entries) {
        return http.post("/api/admin/v1/rate-card/versions", "application/json", "{\"effectiveFrom\":\"" + effectiveFrom
                + "\",\"currency\":\"USD\",\"reason\":\"two instances\",\"entries\":[" + entries + "]}")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    static void deliver(Http http, String report) {
        Http.Response response = http.post("/webhooks/vapi", "application/json", report)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for: " + what).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @Order(1)
    void aVersionPublishedOnOneInstanceIsWhatTheReRatingJobOnAnotherInstanceUses() {
        Http main = new Http(port);
        LocalDate day = LocalDate.of(2056, 3, 10);
        Samples samples = Samples.fresh().onDay(day);
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        String key = fixtures.apiKey(customer);
        assertThat(publish(main, day + "T00:00:00Z", platformPrice("0.05")).status()).isEqualTo(201);
        // each instance prices a call with the version of the moment, and so holds it in its copy
        String report = samples.text(Samples.EOCR);
        String onA = UUID.randomUUID().toString();
        String onB = UUID.randomUUID().toString();
        deliver(instances.get(0).http(), report.replace(samples.id(Samples.MAIN_CALL_ID), onA));
        deliver(instances.get(1).http(), report.replace(samples.id(Samples.MAIN_CALL_ID), onB));
        assertThat(platformOf(main, key, onA)).startsWith("0.16 @ 0.05 from");

        // a correction published elsewhere (the shared context, which runs no jobs): an instance re-rates
        Http.Response corrected = publish(main, day + "T00:00:00Z", platformPrice("0.07"));
        assertThat(corrected.status()).isEqualTo(201);
        int version = corrected.json().path("number").asInt();
        await("the re-rating job is done", () -> !jobs.anyPending());
        assertThat(jdbc.sql("select count(*) from rating_job where ratecard_version = :v and status = 'DONE'")
                .param("v", version).query(Integer.class).single()).isEqualTo(1);
        for (String call : new String[] {onA, onB}) {
            assertThat(platformOf(main, key, call)).isEqualTo("0.224 @ 0.07 from rate card v" + version
                    + ": platform vapi * minute");
        }
        // fence: later days are priced by a version of their own
        publish(main, day.plusDays(1) + "T00:00:00Z", platformPrice("0.05"));
    }

    /** A customer with {@code calls} calls on a day of {@code month}, priced per minute. */
    Customer customerWithCalls(YearMonth month, int calls) {
        Http main = new Http(port);
        Samples samples = Samples.fresh().onDay(month.atDay(12));
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        contracts.add(customer, month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC), null, perMinute("0.10"), "jobs",
                "test");
        String report = samples.text(Samples.EOCR);
        for (int i = 0; i < calls; i++) {
            deliver(main, report.replace(samples.id(Samples.MAIN_CALL_ID), UUID.randomUUID().toString()));
        }
        return customer;
    }

    static ContractTerms perMinute(String rate) {
        return new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal(rate), BigDecimal.ZERO, 60,
                BigDecimal.ZERO, null, BigDecimal.ONE, null);
    }

    Map<String, Object> row(String sql, long id) {
        return jdbc.sql(sql).param("id", id).query().singleRow();
    }

    @Test
    @Order(2)
    void withTwoInstancesRunningTheirSchedulersEachRatingJobAndEachBillingRunIsDoneOnce() {
        YearMonth month = YearMonth.of(2024, 5);
        List<Customer> customers = List.of(customerWithCalls(month, 25), customerWithCalls(month, 25),
                customerWithCalls(month, 25));
        List<Long> jobIds = new ArrayList<>();
        List<Long> runIds = new ArrayList<>();
        for (Customer customer : customers) {
            jobIds.add(jobs.enqueue("two instances", customer.id(), month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
            runIds.add(runs.start(month, customer, "test"));
        }
        await("every job and run is finished", () -> jobIds.stream().allMatch(id -> jobs.find(id).orElseThrow().finished())
                && runIds.stream().allMatch(id -> runs.get(id).finishedAt() != null));
        for (long id : jobIds) {
            assertThat(row("select status, claims, done, total from rating_job where id = :id", id))
                    .containsEntry("status", "DONE").containsEntry("claims", 1).containsEntry("done", 25)
                    .containsEntry("total", 25);
        }
        for (int i = 0; i < customers.size(); i++) {
            assertThat(row("select status, claims, done, failed from billing_run where id = :id", runIds.get(i)))
                    .containsEntry("status", "DONE").containsEntry("claims", 1).containsEntry("done", 1)
                    .containsEntry("failed", 0);
            assertThat(runs.get(runIds.get(i)).results()).singleElement()
                    .satisfies(result -> assertThat(result.outcome()).isEqualTo("INVOICED"));
            assertThat(invoices.invoices(customers.get(i).id())).hasSize(1);
        }
    }

    @Test
    @Order(3)
    void aBillingRunWhoseInstanceStoppedHeartbeatingIsTakenOverAndFinished() {
        YearMonth month = YearMonth.of(2024, 6);
        Customer customer = customerWithCalls(month, 3);
        // as left by an instance that died a minute after its lease's last extension
        long id = jdbc.sql("""
                insert into billing_run (month, customer_id, status, created_by, created_at, started_at, claims,
                    lease_owner, lease_expires_at)
                values (:month, :customer, 'RUNNING', 'test', now() - interval '5 minutes',
                    now() - interval '5 minutes', 1, 'gone-instance', now() - interval '1 minute')
                returning id
                """)
                .param("month", java.sql.Date.valueOf(month.atDay(1))).param("customer", customer.id().value())
                .query(Long.class).single();
        await("the run is finished", () -> runs.get(id).finishedAt() != null);
        assertThat(row("select status, claims, done from billing_run where id = :id", id))
                .containsEntry("status", "DONE").containsEntry("claims", 2).containsEntry("done", 1);
        assertThat(invoices.invoices(customer.id())).hasSize(1);
    }

    @Test
    @Order(4)
    void aReRatingJobWhoseInstanceCrashesMidwayIsResumedByTheOtherFromWhereItStopped() {
        YearMonth month = YearMonth.of(2024, 7);
        int calls = 300;
        Customer customer = customerWithCalls(month, calls);
        // a new price from the month's second millisecond: every call is re-rated, 10 calls a transaction
        contracts.add(customer, month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plusMillis(1), null,
                perMinute("0.12"), "crash", "test");
        long id = jobs.recent(20).stream().filter(job -> java.util.Objects.equals(customer.id().value(), job.customerId()))
                .findFirst().orElseThrow().id();
        await("the job is under way", () -> jobs.find(id).orElseThrow().done() >= 20);
        String owner = (String) row("select lease_owner from rating_job where id = :id", id).get("lease_owner");
        Instances.Instance running = instances.all().stream()
                .filter(instance -> owner.startsWith("voiceledger-" + instance.name() + "-")).findFirst().orElseThrow();
        Instances.Instance survivor = instances.all().stream().filter(instance -> instance != running).findFirst()
                .orElseThrow();
        running.crash();
        int doneAtCrash = jobs.find(id).orElseThrow().done();
        assertThat(doneAtCrash).as("crashed in the middle").isBetween(20, calls - 1);
        java.time.Instant crashedAt = java.time.Instant.now();

        // the lease (2 minutes) runs out: as seen by the survivor, whose clock moves on 10 minutes
        survivor.clock().advance(Duration.ofMinutes(10));
        await("the job is finished", () -> jobs.find(id).orElseThrow().finished());
        assertThat(row("select status, claims, done, total from rating_job where id = :id", id))
                .containsEntry("status", "DONE").containsEntry("claims", 2).containsEntry("done", calls)
                .containsEntry("total", calls);
        Map<String, Object> calls2 = jdbc.sql("""
                select count(*) filter (where rated_at > :later) as by_survivor,
                       count(*) filter (where contract_id = (select max(id) from contract where customer_id = :customer))
                           as on_new_price
                from rating_call where customer_id = :customer
                """)
                .param("later", java.sql.Timestamp.from(crashedAt.plus(Duration.ofMinutes(5))))
                .param("customer", customer.id().value()).query().singleRow();
        // resumed after the last page the crashed instance committed, not from the start
        assertThat(((Number) calls2.get("by_survivor")).intValue()).isEqualTo(calls - doneAtCrash);
        assertThat(((Number) calls2.get("on_new_price")).intValue()).isEqualTo(calls);
    }

    static String platformOf(Http http, String key, String callId) {
        JsonNode call = http.get("/api/v1/calls/" + callId).bearer(key).send().json();
        for (JsonNode c : call.path("components")) {
            if (c.path("layer").asString().equals("platform")) {
                return c.path("charge").asString() + " @ " + c.path("unitPrice").asString() + " from "
                        + c.path("rateSource").asString();
            }
        }
        return "no platform component in " + call;
    }
}
