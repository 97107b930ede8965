package com.voiceledger.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Guards run on the real ingest path: the samples, and crafted outbound retries. */
@IntegrationTest
class GuardIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    Clock clock;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Http http;
    Samples samples;
    String globexKey;
    String acmeKey;
    Customer globex;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        samples = Samples.fresh().onDay(LocalDate.now(clock));
        globex = fixtures.customer(samples.id(Samples.GLOBEX));
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        globexKey = fixtures.apiKey(globex);
        acmeKey = fixtures.apiKey(acme);
    }

    void deliver(String body) {
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    static List<String> rules(JsonNode report) {
        List<String> rules = new ArrayList<>();
        report.path("findings").forEach(f -> rules.add(f.path("rule").asString()));
        return rules;
    }

    @Test
    void theSilenceLoopSampleIsFoundWithItsEvidenceAndAlertedOnce() {
        // the report three times (the platform retrying) and a second silence loop the same day: two
        // findings, one alert (one per rule and day, naming the first call)
        deliver(samples.text(Samples.EOCR_SILENCE));
        deliver(samples.text(Samples.EOCR_SILENCE));
        deliver(samples.text(Samples.EOCR_SILENCE));
        String secondCall = UUID.randomUUID().toString();
        deliver(samples.text(Samples.EOCR_SILENCE).replace(samples.id(Samples.SILENCE_CALL_ID), secondCall));
        JsonNode report = http.get("/api/v1/guards").bearer(globexKey).send().json();
        assertThat(rules(report)).contains("SILENCE_LOOP", "MAX_DURATION");
        assertThat(rules(report)).filteredOn("SILENCE_LOOP"::equals).hasSize(2);
        assertThat(report.toString()).contains("20 empty user turns in a row from 9 s");
        List<String> alerts = new ArrayList<>();
        http.get("/api/v1/alerts").bearer(globexKey).send().json().forEach(alert -> alerts.add(alert.toString()));
        assertThat(alerts).filteredOn(alert -> alert.contains("GUARD_SILENCE_LOOP")).singleElement().asString()
                .contains("Silence loop on call " + samples.id(Samples.SILENCE_CALL_ID));
    }

    @Test
    void theSameToolCallsDeliveryTwiceIsADuplicate() {
        deliver(samples.text(Samples.TOOL_CALLS));
        deliver(samples.text(Samples.TOOL_CALLS));
        JsonNode report = http.get("/api/v1/guards?rule=DUPLICATE_TOOL_CALL").bearer(acmeKey).send().json();
        assertThat(report.path("findings").get(0).path("evidence").asString())
                .isEqualTo("tool-calls delivered again: call_Qm1x9 (2 times)");
    }

    @Test
    void aThirdOutboundAttemptToTheSameNumberTheSameDayIsRetryAmplification() {
        String number = "+1212555" + String.format("%04d", Math.floorMod(UUID.randomUUID().hashCode(), 10000));
        for (int attempt = 0; attempt < 3; attempt++) {
            Samples call = Samples.fresh().onDay(LocalDate.now(clock));
            String body = call.text(Samples.EOCR_NOT_ANSWERED)
                    .replace(call.id(Samples.ACME), samples.id(Samples.ACME))
                    .replace("+12125550199", number)
                    .replace("T15:49:30.000Z", "T0" + (attempt + 1) + ":00:00.000Z");
            deliver(body);
        }
        JsonNode report = http.get("/api/v1/guards?rule=RETRY_AMPLIFICATION").bearer(acmeKey).send().json();
        assertThat(report.path("findings").size()).isEqualTo(1);
        assertThat(report.path("findings").get(0).path("evidence").asString()).isEqualTo("attempt 3 to " + number + " today");
        assertThat(http.get("/api/v1/guards?rule=NOPE").bearer(acmeKey).send().status()).isEqualTo(400);
    }

    @Test
    void aRuleSwitchedOffByAnotherInstanceIsOffForTheNextDelivery() {
        deliver(samples.text(Samples.EOCR_SILENCE)); // Globex's guard settings are now cached: every rule on
        // another instance (or an operator) switches the rule off: only the database knows
        jdbc.sql("""
                insert into guard_setting (customer_id, disabled_rules) values (:customer, 'SILENCE_LOOP')
                on conflict (customer_id) do update set disabled_rules = excluded.disabled_rules
                """).param("customer", globex.id().value()).update();
        Samples second = Samples.fresh().onDay(LocalDate.now(clock));
        deliver(second.text(Samples.EOCR_SILENCE).replace(second.id(Samples.GLOBEX), samples.id(Samples.GLOBEX)));

        JsonNode report = http.get("/api/v1/guards?rule=SILENCE_LOOP").bearer(globexKey).send().json();
        assertThat(report.path("findings").size()).as(report.toString()).isEqualTo(1);
        assertThat(report.path("findings").get(0).path("callId").asString())
                .isEqualTo(samples.id(Samples.SILENCE_CALL_ID));
    }
}
