package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.bench.WebhookSender.Outcome;
import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import com.zaxxer.hikari.HikariDataSource;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Crash safety: the application runs as a separate JVM on this test's PostgreSQL, reports are posted
 * to it concurrently, and it is killed ({@code kill -9}) mid-load and started again. Every report it
 * answered 200 is stored exactly once; every report whose raw delivery was stored before the kill is
 * processed after the restart without anyone sending it again; and once the sender has sent again what
 * got no answer, the customer's totals equal the sender's own count. Two application starts make it
 * slow, so it runs only on request: {@code ./mvnw -Pcrash verify} (see docs/reliability.md).
 */
@Tag("crash")
@IntegrationTest
class CrashSafetyIT {

    static final int ACKNOWLEDGED_BEFORE_KILL = 60;

    @Autowired
    DataSource dataSource;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;

    @Test
    void reportsPostedWhileTheProcessIsKilledAreStoredExactlyOnceAfterARestart() throws Exception {
        Samples samples = Samples.fresh();
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        String key = fixtures.apiKey(customer);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        AppProcess first = start(1);
        AppProcess second = null;
        try {
            List<Outcome> outcomes = WebhookSender.sendAndKill(client, first, samples, ACKNOWLEDGED_BEFORE_KILL);
            List<Outcome> acknowledged = outcomes.stream().filter(Outcome::acknowledged).toList();
            List<Outcome> unanswered = outcomes.stream().filter(o -> !o.acknowledged()).toList();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
            assertThat(unanswered).as("deliveries cut off by the kill").isNotEmpty();
            assertThat(outcomes).allMatch(o -> o.status() == 200 || o.status() == -1 || o.status() == 503,
                    "answers are 200, 503 or none at all");

            second = start(2);
            int secondPort = second.port();
            // the restarted application finishes what was stored but not processed, by itself
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stuck(customer) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(stuck(customer)).as("raw deliveries left unprocessed after the restart").isZero();
            for (Outcome outcome : acknowledged) {
                assertThat(WebhookSender.rows(jdbc, outcome.delivery().callId())).as(outcome.delivery().callId())
                        .isEqualTo(WebhookSender.STORED);
            }
            long storedUnanswered = unanswered.stream().filter(o -> jdbc.sql(
                    "select count(*) from ingestion_webhook_event where body like :id")
                    .param("id", "%" + o.delivery().callId() + "%").query(Long.class).single() > 0).count();
            System.out.printf("crash safety: %d reports sent, %d answered 200 before the kill, %d unanswered "
                    + "(%d of them stored, processed after the restart)%n", outcomes.size(), acknowledged.size(),
                    unanswered.size(), storedUnanswered);
            for (Outcome outcome : unanswered) {
                boolean stored = jdbc.sql("select count(*) from ingestion_webhook_event where body like :id")
                        .param("id", "%" + outcome.delivery().callId() + "%").query(Long.class).single() > 0;
                assertThat(WebhookSender.rows(jdbc, outcome.delivery().callId()))
                        .isEqualTo(stored ? WebhookSender.STORED : "0 call, 0 components");
            }

            // the sender sends again what got no answer: now the totals are the sender's own count
            for (Outcome outcome : unanswered) {
                assertThat(WebhookSender.post(client, secondPort, outcome.delivery().body())).isEqualTo(200);
            }
            Http http = new Http(secondPort);
            Http.Response summary = http.get("/api/v1/usage/summary?month=2026-11").bearer(key).send();
            assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
            assertThat(summary.json().path("calls").asLong()).isEqualTo(outcomes.size());
            assertThat(jdbc.sql("select count(*) from usage_call where customer_id = :c")
                    .param("c", customer.id().value()).query(Long.class).single()).isEqualTo(outcomes.size());
            assertThat(jdbc.sql("select coalesce(sum(jsonb_array_length(components)), 0) from usage_call where customer_id = :c")
                    .param("c", customer.id().value()).query(Long.class).single()).isEqualTo(9L * outcomes.size());
        } finally {
            first.kill();
            if (second != null) {
                second.kill();
            }
        }
    }

    private long stuck(Customer customer) {
        return jdbc.sql("select count(*) from ingestion_webhook_event where status = 'RECEIVED' and body like :key")
                .param("key", "%\"" + customer.externalId() + "\"%").query(Long.class).single();
    }

    /** The application on this test's database, recovering stuck deliveries within seconds. */
    private AppProcess start(int run) throws Exception {
        return AppProcess.start("crash-safety-app-" + run, List.of(
                "--spring.datasource.url=" + ((HikariDataSource) dataSource).getJdbcUrl(),
                "--spring.datasource.username=postgres", "--voiceledger.ingest.recovery-poll=1s",
                "--voiceledger.ingest.recovery-poll-start=1s", "--voiceledger.ingest.recovery-grace=2s"));
    }
}
