package com.voiceledger.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingJob;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Finance pauses a correction's re-rating and resumes it (issue #26), over the admin API: the job stops after the
 * transaction it is in (what it wrote stays, priced and rolled up), nobody claims it while paused, and resumed it
 * goes on after its last call to the end. Prices as in {@link ReRatingBesideIngestIT}: 0.338285 a call under the
 * reference card, 0.306285 with the platform's minute at 0.04. Day 2091-01-02; both versions from 2091-01-01.
 */
@IntegrationTest
class ReRatingPauseIT {

    static final LocalDate DAY = LocalDate.of(2091, 1, 2);
    static final int CALLS = 12;

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

    @Test
    void aPausedReRatingStopsAfterItsCurrentCustomerAndResumedFinishesWhereItStopped() throws Exception {
        Http http = new Http(port);
        Samples first = Samples.fresh().onDay(DAY);
        Samples second = Samples.fresh().onDay(DAY);
        Customer a = fixtures.customer(first.id(Samples.ACME));
        Customer b = fixtures.customer(second.id(Samples.ACME));
        publish(http, ReRatingBesideIngestIT.REFERENCE);
        jobs.runQueued();
        for (int i = 0; i < CALLS; i++) {
            deliver(http, first);
            deliver(http, second);
        }
        publish(http, ReRatingBesideIngestIT.REFERENCE.replace("\"0.05\"", "\"0.04\""));
        long id = jobs.recent(1).getFirst().id();
        Customer firstDone = a.id().value() < b.id().value() ? a : b;
        Customer notYet = firstDone == a ? b : a;

        // finance pauses while the job writes its first customer
        AtomicBoolean once = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Http.Response> paused = new CompletableFuture<>();
        jobs.whileAPartHoldsItsLocks(customer -> {
            if (customer.equals(firstDone.id()) && once.compareAndSet(false, true)) {
                threads.submit(() -> paused.complete(admin(http, "/api/admin/v1/rating/jobs/" + id + "/pause")));
                // until the pause waits for this transaction's row of the job (it then pauses it as this commits)
                for (int i = 0; i < 200 && !pauseWaiting(); i++) {
                    sleep(50);
                }
            }
        });
        try {
            jobs.runQueued();
        } finally {
            jobs.whileAPartHoldsItsLocks(null);
            threads.shutdown();
        }
        Http.Response pausedAnswer = paused.get();
        assertThat(pausedAnswer.status()).as(pausedAnswer.toString()).isEqualTo(200);
        RatingJob job = jobs.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo("PAUSED");
        assertThat(job.done()).isEqualTo(CALLS);
        assertThat(job.total()).isEqualTo(2 * CALLS);
        assertThat(job.timeLeft()).isNull();
        assertThat(charged(firstDone)).isEqualByComparingTo(corrected());
        assertThat(charged(notYet)).isEqualByComparingTo(new BigDecimal("0.338285").multiply(BigDecimal.valueOf(CALLS)));
        jobs.runQueued(); // a paused job is not claimed
        assertThat(charged(notYet)).isEqualByComparingTo(new BigDecimal("0.338285").multiply(BigDecimal.valueOf(CALLS)));
        assertThat(rollupMismatches(a, b)).isEmpty();

        // only a paused job resumes; then it finishes where it stopped
        assertThat(admin(http, "/api/admin/v1/rating/jobs/" + id + "/pause").status()).isEqualTo(409);
        assertThat(admin(http, "/api/admin/v1/rating/jobs/" + id + "/resume").status()).isEqualTo(200);
        jobs.runQueued();
        job = jobs.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo("DONE");
        assertThat(job.done()).isEqualTo(2 * CALLS);
        assertThat(job.rate()).isNotNull();
        assertThat(charged(notYet)).isEqualByComparingTo(corrected());
        assertThat(charged(firstDone)).isEqualByComparingTo(corrected());
        assertThat(admin(http, "/api/admin/v1/rating/jobs/" + id + "/resume").status()).isEqualTo(409);
        assertThat(rollupMismatches(a, b)).isEmpty();
        assertThat(jdbc.sql("select count(*) from audit_entry where subject = :s and action in ('re-rating paused', 're-rating resumed')")
                .param("s", "rating job " + id).query(Long.class).single()).isEqualTo(2L);
    }

    boolean pauseWaiting() {
        return jdbc.sql("""
                select exists (select 1 from pg_stat_activity
                               where wait_event_type = 'Lock' and query like '%set status = ''PAUSED''%')""")
                .query(Boolean.class).single();
    }

    static BigDecimal corrected() {
        return new BigDecimal("0.306285").multiply(BigDecimal.valueOf(CALLS));
    }

    List<String> rollupMismatches(Customer a, Customer b) {
        return store.rollupMismatches().stream()
                .filter(m -> m.startsWith(a.id().value() + " ") || m.startsWith(b.id().value() + " ")).toList();
    }

    static Http.Response admin(Http http, String path) {
        return http.post(path, "application/json", "").bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    static void publish(Http http, String entries) {
        Http.Response response = http.post("/api/admin/v1/rate-card/versions", "application/json",
                        "{\"effectiveFrom\":\"2091-01-01T00:00:00Z\",\"currency\":\"USD\",\"reason\":\"pause test\","
                                + "\"entries\":[" + entries + "]}")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    static void deliver(Http http, Samples samples) {
        String body = samples.text(Samples.EOCR).replace(samples.id(Samples.MAIN_CALL_ID), UUID.randomUUID().toString());
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    BigDecimal charged(Customer customer) {
        return jdbc.sql("select coalesce(sum(charge), 0) from rating_call where customer_id = :id")
                .param("id", customer.id().value()).query(BigDecimal.class).single();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
