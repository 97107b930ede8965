package com.voiceledger.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.support.Http;
import com.voiceledger.support.Instances;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.Duration;
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
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
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
