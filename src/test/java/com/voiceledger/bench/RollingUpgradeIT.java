package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.bench.WebhookSender.Outcome;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A rolling upgrade with ingest flowing the whole time (issue #32): the previous release runs on a database of
 * its own and takes webhooks; this build starts beside it on the same database, migrating it (Flyway, at start)
 * while the previous release goes on answering; both take webhooks; the previous one is taken out of rotation and
 * stopped gracefully, as a load balancer and an orchestrator would. No delivery may be refused, every
 * acknowledged call must be stored once, and the month's charges must be the calls' own, to the cent, in both
 * versions. The migrations of this round must therefore leave the previous release working (expand, then
 * contract in a later release: docs/operations.md). Two application starts and a build of the previous release
 * make it slow, so it runs with {@code ./mvnw -Pcrash verify}, which CI runs.
 */
@Tag("crash")
@IntegrationTest
class RollingUpgradeIT {

    /** The last release that landed before this build: move it forward when a release lands. */
    static final String PREVIOUS_RELEASE = "38b8d4e2bcefdced8dadfe60d06327991e6622af";
    /** The sample report's LLM usage at the list prices published below (MarginIT works the same figure). */
    static final BigDecimal CHARGE_PER_CALL = new BigDecimal("0.039525");

    @Autowired
    DataSource dataSource;

    @Test
    void webhooksFlowingThroughBothVersionsWhileTheNewOneMigratesAreAllAcknowledgedStoredAndPricedAlike()
            throws Exception {
        String previousClasspath = PreviousRelease.classpath(PREVIOUS_RELEASE);
        String database = "upgrade_" + UUID.randomUUID().toString().substring(0, 8);
        JdbcClient.create(dataSource).sql("create database " + database).update();
        String url = ((HikariDataSource) dataSource).getJdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        JdbcClient upgraded = JdbcClient.create(new DriverManagerDataSource(url, "postgres", ""));
        List<String> arguments = List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres");
        Samples samples = Samples.fresh();
        String report = samples.text(Samples.EOCR);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        AppProcess previous = AppProcess.start("upgrade-previous", previousClasspath, arguments);
        AppProcess next = null;
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        List<Integer> rotation = new CopyOnWriteArrayList<>(List.of(previous.port()));
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(3);
        try {
            String key = setUp(previous.port(), samples);
            AtomicInteger turn = new AtomicInteger();
            for (int sender = 0; sender < 3; sender++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        String callId = UUID.randomUUID().toString();
                        var delivery = new WebhookSender.Delivery(callId,
                                report.replace(samples.id(Samples.MAIN_CALL_ID), callId));
                        List<Integer> ports = new ArrayList<>(rotation);
                        int port = ports.get(Math.floorMod(turn.getAndIncrement(), ports.size()));
                        outcomes.add(new Outcome(delivery, WebhookSender.post(client, port, delivery.body())));
                        Thread.sleep(20); // about 100 deliveries a second from the three senders
                    }
                    return null;
                });
            }
            awaitAcknowledged(outcomes, 100);
            int beforeUpgrade = outcomes.size();

            next = AppProcess.start("upgrade-next", arguments); // migrates the database while previous serves
            int duringMigration = outcomes.size() - beforeUpgrade;
            rotation.add(next.port());
            awaitAcknowledged(outcomes, outcomes.size() + 100);
            rotation.remove(Integer.valueOf(previous.port())); // out of rotation, then stopped (drained)
            Thread.sleep(1_000);
            previous.stop();
            awaitAcknowledged(outcomes, outcomes.size() + 50);
            sending.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            System.out.printf("rolling upgrade from %s: %d deliveries, %d of them while this build started and "
                    + "migrated%n", PREVIOUS_RELEASE, outcomes.size(), duringMigration);
            assertThat(outcomes).as("no delivery refused or unanswered during the upgrade")
                    .allMatch(Outcome::acknowledged);
            for (Outcome outcome : outcomes) {
                assertThat(WebhookSender.rows(upgraded, outcome.delivery().callId())).as(outcome.delivery().callId())
                        .isEqualTo(WebhookSender.STORED);
            }
            var summary = new Http(next.port()).get("/api/v1/usage/summary?month=2026-11").bearer(key).send();
            assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
            assertThat(summary.json().path("calls").asLong()).isEqualTo(outcomes.size());
            assertThat(new BigDecimal(summary.json().path("charge").asString()))
                    .as("every call at the same price, whichever version took it")
                    .isEqualByComparingTo(CHARGE_PER_CALL.multiply(BigDecimal.valueOf(outcomes.size())));
        } finally {
            sending.set(false);
            senders.shutdownNow();
            previous.kill();
            if (next != null) {
                next.kill();
            }
        }
    }

    /** The customer, its key and the list prices, through the previous release's admin API. */
    private static String setUp(int port, Samples samples) {
        Http http = new Http(port);
        Http.Response prices = http.post("/api/admin/v1/rate-card/versions", "application/json", """
                {"effectiveFrom": "2026-01-01T00:00:00Z", "currency": "USD", "reason": "rolling upgrade",
                 "entries": [{"layer": "llm", "provider": "openai", "model": "gpt-4o", "unit": "prompt_token", "unitPrice": "0.0000025"},
                             {"layer": "llm", "provider": "openai", "model": "gpt-4o", "unit": "completion_token", "unitPrice": "0.00001"}]}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(prices.status()).as(prices.toString()).isBetween(200, 201);
        String customer = samples.id(Samples.ACME);
        Http.Response created = http.post("/api/admin/v1/customers", "application/json",
                "{\"externalId\":\"" + customer + "\",\"name\":\"Upgrade\",\"currency\":\"USD\","
                        + "\"billingTimeZone\":\"UTC\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Http.Response key = http.post("/api/admin/v1/customers/" + customer + "/api-keys", "application/json", "{}")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return key.json().path("key").asString();
    }

    private static void awaitAcknowledged(List<Outcome> outcomes, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (outcomes.stream().filter(Outcome::acknowledged).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
