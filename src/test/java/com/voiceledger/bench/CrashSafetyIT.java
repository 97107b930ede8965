package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import com.zaxxer.hikari.HikariDataSource;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    record Delivery(String callId, String body) {
    }

    record Outcome(Delivery delivery, int status) {
    }

    @Test
    void reportsPostedWhileTheProcessIsKilledAreStoredExactlyOnceAfterARestart() throws Exception {
        Samples samples = Samples.fresh();
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        String key = fixtures.apiKey(customer);
        String report = samples.text(Samples.EOCR);
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Process first = start(1);
        int firstPort = portOf(first);
        Process second = null;
        try {
            AtomicBoolean sending = new AtomicBoolean(true);
            try (ExecutorService senders = Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 4; i++) {
                    senders.submit(() -> {
                        while (sending.get()) {
                            String callId = UUID.randomUUID().toString();
                            Delivery delivery = new Delivery(callId,
                                    report.replace(samples.id(Samples.MAIN_CALL_ID), callId));
                            outcomes.add(new Outcome(delivery, WebhookSender.post(client, firstPort, delivery.body())));
                        }
                        return null;
                    });
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (outcomes.stream().filter(o -> o.status() == 200).count() < ACKNOWLEDGED_BEFORE_KILL
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                first.destroyForcibly();
                first.waitFor();
                Thread.sleep(500);
                sending.set(false);
                senders.shutdown();
                assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            }
            List<Outcome> acknowledged = outcomes.stream().filter(o -> o.status() == 200).toList();
            List<Outcome> unanswered = outcomes.stream().filter(o -> o.status() != 200).toList();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
            assertThat(unanswered).as("deliveries cut off by the kill").isNotEmpty();
            assertThat(outcomes).allMatch(o -> o.status() == 200 || o.status() == -1 || o.status() == 503,
                    "answers are 200, 503 or none at all");

            second = start(2);
            int secondPort = portOf(second);
            // the restarted application finishes what was stored but not processed, by itself
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stuck(customer) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(stuck(customer)).as("raw deliveries left unprocessed after the restart").isZero();
            for (Outcome outcome : acknowledged) {
                assertThat(rows(outcome.delivery().callId())).as(outcome.delivery().callId()).isEqualTo("1 call, 9 components");
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
                assertThat(rows(outcome.delivery().callId())).isEqualTo(stored ? "1 call, 9 components" : "0 call, 0 components");
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
            assertThat(jdbc.sql("select count(*) from usage_call_component where customer_id = :c")
                    .param("c", customer.id().value()).query(Long.class).single()).isEqualTo(9L * outcomes.size());
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly();
                second.waitFor();
            }
        }
    }

    private long stuck(Customer customer) {
        return jdbc.sql("select count(*) from ingestion_webhook_event where status = 'RECEIVED' and body like :key")
                .param("key", "%\"" + customer.externalId() + "\"%").query(Long.class).single();
    }

    private String rows(String callId) {
        long calls = jdbc.sql("select count(*) from usage_call where id = :id").param("id", callId).query(Long.class).single();
        long components = jdbc.sql("select count(*) from usage_call_component where call_id = :id").param("id", callId)
                .query(Long.class).single();
        return calls + " call, " + components + " components";
    }

    /** The application in a JVM of its own, on this test's database, ready to take webhooks. */
    private final java.util.Map<Process, Integer> ports = new java.util.HashMap<>();

    private int portOf(Process process) {
        return ports.get(process);
    }

    private Process start(int run) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = ((HikariDataSource) dataSource).getJdbcUrl();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "com.voiceledger.VoiceLedgerApplication",
                "--server.port=" + port, "--spring.profiles.active=test", "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres", "--voiceledger.ingest.recovery-poll=1s",
                "--voiceledger.ingest.recovery-poll-start=1s", "--voiceledger.ingest.recovery-grace=2s"));
        Path log = Path.of("target", "crash-safety-app-" + run + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(".")).start();
        ports.put(process, port);
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the application exited; see " + log).isTrue();
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return process;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new AssertionError("the application did not start within 240 s; see " + log);
    }
}
