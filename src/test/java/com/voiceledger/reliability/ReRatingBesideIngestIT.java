package com.voiceledger.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A rate-card correction re-rating a month while the platform keeps delivering (issue #26; the group-commit
 * items of #27): a re-rating transaction is held open on purpose (a latch inside it, once it holds its
 * customers' locks), and real webhook deliveries go to the same group-commit writer meanwhile. The customer the
 * re-rating is not writing is answered at once; the one it is writing is answered 503 with Retry-After within
 * the bounded wait, and its retry after the correction is stored once, at the corrected price. Prices: the
 * sample call is 0.338285 under the reference card; with the platform at 0.04/min instead of 0.05 (3.2 min) it
 * is 0.306285. Day 2090-01-02: no other test has calls on or after 2090-01-01, where both versions take effect.
 */
@IntegrationTest
class ReRatingBesideIngestIT {

    static final LocalDate DAY = LocalDate.of(2090, 1, 2);
    static final int CALLS = 30;

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    RatingJobs jobs;
    @Autowired
    RatingStore store;
    @Autowired
    JdbcClient jdbc;

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void anotherCustomersDeliveryIsAnsweredAtOnceWhileAReRatingHoldsItsLocksAndTheHeldCustomerIsToldToRetry()
            throws Exception {
        Http http = new Http(port);
        Samples first = Samples.fresh().onDay(DAY);
        Samples second = Samples.fresh().onDay(DAY);
        // both customers' deliveries on the same group-commit writer (two writers, chosen by the customer key)
        while (Math.floorMod(second.id(Samples.ACME).hashCode(), 2) != Math.floorMod(first.id(Samples.ACME).hashCode(), 2)) {
            second = Samples.fresh().onDay(DAY);
        }
        Customer a = fixtures.customer(first.id(Samples.ACME));
        Customer b = fixtures.customer(second.id(Samples.ACME));
        publish(http, REFERENCE);
        jobs.runQueued();
        for (int i = 0; i < CALLS; i++) {
            assertThat(deliver(first, UUID.randomUUID().toString()).statusCode()).isEqualTo(200);
            assertThat(deliver(second, UUID.randomUUID().toString()).statusCode()).isEqualTo(200);
        }
        assertThat(charged(a)).isEqualByComparingTo(new BigDecimal("0.338285").multiply(BigDecimal.valueOf(CALLS)));

        // the correction: the platform's minute at 0.04 from the same instant
        publish(http, REFERENCE.replace("\"0.05\"", "\"0.04\""));
        // re-rating goes customer by customer, lowest id first: its first transaction holds `held`'s locks
        Samples held = a.id().value() < b.id().value() ? first : second;
        Samples free = held == first ? second : first;
        // own threads: the common pool has one worker on two cores, which the held re-rating would occupy
        ExecutorService threads = Executors.newFixedThreadPool(3);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        long heldId = Math.min(a.id().value(), b.id().value());
        // the job also re-rates other tests' calls from 2090 on (their customers first, lower ids): held is ours
        jobs.whileAPartHoldsItsLocks(customer -> {
            if (customer.value() == heldId && once.compareAndSet(false, true)) {
                holding.countDown();
                await(release, 60);
            }
        });
        try {
            CompletableFuture<Void> rerating = CompletableFuture.runAsync(jobs::runQueued, threads);
            assertThat(holding.await(30, TimeUnit.SECONDS)).as("the re-rating reached its first transaction").isTrue();

            // the held customer's delivery first, so that it is in the writer before the other one
            String heldCall = UUID.randomUUID().toString();
            long heldSent = System.nanoTime();
            CompletableFuture<HttpResponse<String>> heldAnswer = CompletableFuture.supplyAsync(() -> deliver(held, heldCall), threads);
            Thread.sleep(300);
            long sent = System.nanoTime();
            CompletableFuture<HttpResponse<String>> freeAnswer = CompletableFuture.supplyAsync(
                    () -> deliver(free, UUID.randomUUID().toString()), threads);
            HttpResponse<String> answered;
            try {
                answered = freeAnswer.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                answered = null;
            }
            long millis = (System.nanoTime() - sent) / 1_000_000;
            assertThat(answered).as("the other customer's delivery, answered while the re-rating holds its locks")
                    .isNotNull();
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(millis).as("ms to answer the other customer").isLessThan(2_000);

            // the held customer: not stored while its lock is held; told to retry within the bounded wait (10 s)
            HttpResponse<String> told = heldAnswer.get(30, TimeUnit.SECONDS);
            long heldMillis = (System.nanoTime() - heldSent) / 1_000_000;
            assertThat(told.statusCode()).as(told.body()).isEqualTo(503);
            assertThat(told.headers().firstValue("Retry-After")).isPresent();
            assertThat(heldMillis).isBetween(9_000L, 15_000L);

            release.countDown();
            rerating.get(60, TimeUnit.SECONDS);
            assertThat(jobs.anyPending()).isFalse();

            // the platform's retry: stored once, at the corrected price
            HttpResponse<String> retried = deliver(held, heldCall);
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(retried.body()).contains("\"processed\"");
        } finally {
            release.countDown();
            jobs.whileAPartHoldsItsLocks(null);
            threads.shutdown();
        }
        BigDecimal corrected = new BigDecimal("0.306285").multiply(BigDecimal.valueOf(CALLS + 1));
        assertThat(charged(a)).isEqualByComparingTo(corrected);
        assertThat(charged(b)).isEqualByComparingTo(corrected);
        assertThat(calls(a)).isEqualTo(CALLS + 1);
        assertThat(calls(b)).isEqualTo(CALLS + 1);
        List<String> mismatches = store.rollupMismatches().stream()
                .filter(m -> m.startsWith(a.id().value() + " ") || m.startsWith(b.id().value() + " ")).toList();
        assertThat(mismatches).as("rollups against the charges").isEmpty();
    }

    static final String REFERENCE = String.join(",",
            entry("telephony", "twilio", "*", "minute", "0.0085"),
            entry("stt", "deepgram", "*", "minute", "0.0048"),
            entry("llm", "openai", "gpt-4o", "prompt_token", "0.0000025"),
            entry("llm", "openai", "gpt-4o", "completion_token", "0.00001"),
            entry("tts", "11labs", "*", "character", "0.00005"),
            entry("platform", "vapi", "*", "minute", "0.05"),
            entry("analysis", "*", "*", "prompt_token", "0.0000025"),
            entry("analysis", "*", "*", "completion_token", "0.00001"));

    static String entry(String layer, String provider, String model, String unit, String price) {
        return "{\"layer\":\"%s\",\"provider\":\"%s\",\"model\":\"%s\",\"unit\":\"%s\",\"unitPrice\":\"%s\"}"
                .formatted(layer, provider, model, unit, price);
    }

    static void publish(Http http, String entries) {
        Http.Response response = http.post("/api/admin/v1/rate-card/versions", "application/json",
                        "{\"effectiveFrom\":\"2090-01-01T00:00:00Z\",\"currency\":\"USD\",\"reason\":\"correction test\","
                                + "\"entries\":[" + entries + "]}")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    HttpResponse<String> deliver(Samples samples, String callId) {
        String body = samples.text(Samples.EOCR).replace(samples.id(Samples.MAIN_CALL_ID), callId);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/vapi"))
                .timeout(Duration.ofSeconds(40))
                .header("Content-Type", "application/json")
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    BigDecimal charged(Customer customer) {
        return jdbc.sql("select coalesce(sum(charge), 0) from rating_call where customer_id = :id")
                .param("id", customer.id().value()).query(BigDecimal.class).single();
    }

    long calls(Customer customer) {
        return jdbc.sql("select count(*) from rating_call where customer_id = :id")
                .param("id", customer.id().value()).query(Long.class).single();
    }

    static void await(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
