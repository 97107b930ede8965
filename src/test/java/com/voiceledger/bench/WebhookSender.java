package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The crash tests' sender: end-of-call reports to an application in another JVM, which is killed mid-load. */
final class WebhookSender {

    /** What {@link #rows} says of a report stored in full. */
    static final String STORED = "1 call, 9 components";

    private WebhookSender() {
    }

    record Delivery(String callId, String body) {
    }

    record Outcome(Delivery delivery, int status) {

        boolean acknowledged() {
            return status == 200;
        }
    }

    /**
     * Four senders post copies of the sample report, each with a call id of its own, until the app has
     * acknowledged {@code acknowledgedBeforeKill} of them (two minutes at most); then the app is killed
     * ({@code kill -9}) while they go on for half a second, so some deliveries are cut off.
     */
    static List<Outcome> sendAndKill(HttpClient client, AppProcess app, Samples samples, int acknowledgedBeforeKill)
            throws Exception {
        String report = samples.text(Samples.EOCR);
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        try (ExecutorService senders = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        String callId = UUID.randomUUID().toString();
                        Delivery delivery = new Delivery(callId, report.replace(samples.id(Samples.MAIN_CALL_ID), callId));
                        outcomes.add(new Outcome(delivery, post(client, app.port(), delivery.body())));
                    }
                    return null;
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (outcomes.stream().filter(Outcome::acknowledged).count() < acknowledgedBeforeKill
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            app.kill();
            Thread.sleep(500);
            sending.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        return List.copyOf(outcomes);
    }

    /** 200, 503, ..., or -1 when no answer came (the process was killed). */
    static int post(HttpClient client, int port, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/vapi"))
                .header("Content-Type", "application/json").header("X-Vapi-Secret", TestFixtures.VAPI_SECRET)
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** How much of one call the database holds: {@link #STORED}, or {@code "0 call, 0 components"}. */
    static String rows(JdbcClient jdbc, String callId) {
        long calls = jdbc.sql("select count(*) from usage_call where id = :id").param("id", callId).query(Long.class).single();
        long components = jdbc.sql("select coalesce(sum(jsonb_array_length(components)), 0) from usage_call where id = :id").param("id", callId)
                .query(Long.class).single();
        return calls + " call, " + components + " components";
    }
}
