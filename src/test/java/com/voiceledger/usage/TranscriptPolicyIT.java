package com.voiceledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.RetentionJob;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.support.Http;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Transcripts are kept per customer policy (docs/decisions/0054): never (not stored, while the cost guards
 * still see the transcript), for N days (deleted by the retention job on the application's clock), or
 * always; set over HTTP by finance, read by the customer's API key (which may not change it), audited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class TranscriptPolicyIT {

    static final MutableClock CLOCK = MutableClock.INSTANCE;
    static final LocalDate CALL_DAY = LocalDate.parse("2025-02-03");

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    RetentionJob job;
    @Autowired
    CallQueries calls;
    @Autowired
    JdbcClient jdbc;

    Http http() {
        return new Http(port);
    }

    Http.Response setPolicy(Customer customer, String json) {
        return http().put("/api/admin/v1/customers/" + customer.externalId() + "/transcript-policy",
                "application/json", json).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    void report(Samples samples, String sample) {
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(sample).getBytes(StandardCharsets.UTF_8));
    }

    long artifacts(String callId) {
        return jdbc.sql("select count(*) from usage_call_artifact where call_id = ?").param(callId)
                .query(Long.class).single();
    }

    @Test
    void aCustomerThatKeepsNoTranscriptsHasNoneStoredWhileItsCostGuardsStillReadThem() {
        CLOCK.set(CALL_DAY.atTime(18, 0).toInstant(java.time.ZoneOffset.UTC));
        Samples samples = Samples.fresh().onDay(CALL_DAY);
        Customer customer = fixtures.customer(samples.id(Samples.GLOBEX));
        assertThat(setPolicy(customer, "{\"keep\": \"NEVER\"}").status()).isEqualTo(200);

        report(samples, Samples.EOCR_SILENCE);
        String callId = samples.id(Samples.SILENCE_CALL_ID);
        assertThat(calls.find(customer.id(), callId)).isPresent();
        assertThat(artifacts(callId)).isZero();
        assertThat(jdbc.sql("select count(*) from guard_finding where call_id = ? and rule = 'SILENCE_LOOP'")
                .param(callId).query(Long.class).single()).as("the silence loop is found from the report in memory")
                .isEqualTo(1);
        CallDetail detail = calls.find(customer.id(), callId).orElseThrow();
        assertThat(detail.artifactJson()).isNull();
        assertThat(detail.transcriptNote()).isEqualTo("Transcript not kept under your transcript policy (never kept).");
    }

    @Test
    void transcriptsKeptSevenDaysAreDeletedByTheRetentionJobOnceTheCallIsOlder() {
        Instant callTime = CALL_DAY.atTime(18, 0).toInstant(java.time.ZoneOffset.UTC);
        CLOCK.set(callTime.plus(Duration.ofHours(1)));
        Samples samples = Samples.fresh().onDay(CALL_DAY);
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        report(samples, Samples.EOCR);
        String callId = samples.id(Samples.MAIN_CALL_ID);
        assertThat(artifacts(callId)).as("kept always until a policy is set").isEqualTo(1);
        Instant startedAt = calls.find(customer.id(), callId).orElseThrow().call().callTime();
        assertThat(setPolicy(customer, "{\"keep\": \"DAYS\", \"days\": 7}").json().path("days").asInt()).isEqualTo(7);

        CLOCK.set(startedAt.plus(Duration.ofDays(7)).minusSeconds(1));
        job.run();
        assertThat(artifacts(callId)).isEqualTo(1);
        assertThat(calls.find(customer.id(), callId).orElseThrow().transcriptNote()).isNull();

        CLOCK.set(startedAt.plus(Duration.ofDays(7)).plusSeconds(1));
        job.run();
        assertThat(artifacts(callId)).isZero();
        assertThat(calls.find(customer.id(), callId).orElseThrow().transcriptNote())
                .isEqualTo("Transcript not kept under your transcript policy (kept 7 days after the call).");
        assertThat(calls.find(customer.id(), callId).orElseThrow().components()).as("usage itself stays").isNotEmpty();
    }

    @Test
    void switchingToNeverDeletesTheTranscriptsAlreadyStoredWhateverTheirAge() {
        CLOCK.set(CALL_DAY.atTime(19, 0).toInstant(java.time.ZoneOffset.UTC));
        Samples samples = Samples.fresh().onDay(CALL_DAY);
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        Samples other = Samples.fresh().onDay(CALL_DAY);
        Customer bystander = fixtures.customer(other.id(Samples.ACME));
        report(samples, Samples.EOCR);
        report(other, Samples.EOCR);
        setPolicy(customer, "{\"keep\": \"NEVER\"}");
        job.run();
        assertThat(artifacts(samples.id(Samples.MAIN_CALL_ID))).isZero();
        assertThat(artifacts(other.id(Samples.MAIN_CALL_ID))).as("another customer's, kept always").isEqualTo(1);
        assertThat(bystander.id()).isNotEqualTo(customer.id());
    }

    @Test
    void theCustomersKeyReadsThePolicyButMayNotChangeItAndEveryChangeIsAudited() {
        Samples samples = Samples.fresh();
        Customer customer = fixtures.customer(samples.id(Samples.GLOBEX));
        String key = fixtures.apiKey(customer);
        assertThat(http().get("/api/v1/settings/transcripts").bearer(key).send().json().path("keep").asString())
                .isEqualTo("ALWAYS");
        assertThat(http().put("/api/v1/settings/transcripts", "application/json", "{\"keep\": \"NEVER\"}").bearer(key)
                .send().status()).isEqualTo(403);
        assertThat(setPolicy(customer, "{\"keep\": \"DAYS\", \"days\": 0}").status()).isEqualTo(400);
        assertThat(setPolicy(customer, "{\"keep\": \"SOMETIMES\"}").status()).isEqualTo(400);
        assertThat(setPolicy(customer, "{\"keep\": \"DAYS\", \"days\": 90}").status()).isEqualTo(200);
        assertThat(http().get("/api/v1/settings/transcripts").bearer(key).send().json().path("days").asInt())
                .isEqualTo(90);

        Map<String, Object> entry = jdbc.sql("""
                select actor, details::text as details from audit_entry
                where action = 'transcripts.policy' and subject = ? order by id desc limit 1
                """).param("customer " + customer.id()).query().singleRow();
        assertThat(entry.get("details").toString()).contains("kept always").contains("kept 90 days after the call");
        assertThat(jdbc.sql("select count(*) from audit_entry where action = 'transcripts.policy' and subject = ?")
                .param("customer " + customer.id()).query(Long.class).single()).as("refused changes are not audited")
                .isEqualTo(1);
    }
}
