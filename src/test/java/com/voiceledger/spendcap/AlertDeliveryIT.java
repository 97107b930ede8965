package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.customer.Customer;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;

/**
 * Alert delivery when several instances run it at once, when a receiver fails, and when it hangs.
 * Delivery rounds are started by hand here (the test profile turns the schedule off); two rounds at once
 * on one database are what two instances do.
 */
@IntegrationTest
class AlertDeliveryIT {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    Alerts alerts;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Clock clock;
    @Autowired
    TaskScheduler scheduler;

    final List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver;

    /** A receiver that answers {@code status} after {@code delay}. */
    String receiver(int status, Duration delay) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/alerts", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts";
    }

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    Customer customerWithWebhook(String url) {
        Customer customer = fixtures.customer("alerts-" + UUID.randomUUID().toString().substring(0, 8));
        spendCaps.setAlertWebhook(customer, url);
        return customer;
    }

    @Test
    void twoDeliveryRoundsRunningAtOnceAsOnTwoInstancesPostEachAlertOnce() throws Exception {
        Customer customer = customerWithWebhook(receiver(204, Duration.ofMillis(150)));
        YearMonth month = YearMonth.of(2027, 3);
        for (int threshold : new int[] {50, 80, 100}) {
            assertThat(alerts.raise(customer.id(), month, "SPEND_CAP", threshold, threshold + " % used")).isTrue();
        }
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService instances = Executors.newFixedThreadPool(2)) {
            List<Future<?>> rounds = List.of(instances.submit(() -> awaitThen(start, alerts::deliverDue)),
                    instances.submit(() -> awaitThen(start, alerts::deliverDue)));
            start.countDown();
            for (Future<?> round : rounds) {
                round.get(60, TimeUnit.SECONDS);
            }
        }
        Map<String, Long> postsPerThreshold = received.stream()
                .map(body -> body.replaceAll(".*\"threshold\":(\\d+).*", "$1"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(postsPerThreshold).isEqualTo(Map.of("50", 1L, "80", 1L, "100", 1L));
        assertThat(alerts.of(customer.id(), 10)).allMatch(a -> a.deliveryStatus().equals("DELIVERED"))
                .allSatisfy(a -> assertThat(alerts.attempts(a.id())).hasSize(1).allMatch(s -> s.startsWith("WEBHOOK 1 ")
                        && s.endsWith(" ok")));
    }

    @Test
    void aFailedPostKeepsItsErrorForEachAttemptAndWaitsLongerAfterEachFailure() throws Exception {
        Customer customer = customerWithWebhook(receiver(500, Duration.ZERO));
        alerts.raise(customer.id(), YearMonth.of(2027, 4), "SPEND_CAP", 50, "50 % used");
        Alert alert = alerts.of(customer.id(), 1).getFirst();

        alerts.deliverDue();
        assertThat(received).hasSize(1);
        Alert failed = alerts.of(customer.id(), 1).getFirst();
        assertThat(failed.deliveryStatus()).isEqualTo("PENDING");
        assertThat(failed.deliveryError()).isEqualTo("answered 500");
        assertThat(nextAttempt(alert.id())).isBetween(clock.instant().plusSeconds(50), clock.instant().plusSeconds(70));
        alerts.deliverDue();
        assertThat(received).as("not retried before its backoff").hasSize(1);

        makeDue(alert.id());
        alerts.deliverDue();
        assertThat(received).hasSize(2);
        assertThat(nextAttempt(alert.id())).isBetween(clock.instant().plusSeconds(110), clock.instant().plusSeconds(130));
        assertThat(alerts.attempts(alert.id())).hasSize(2).allMatch(a -> a.endsWith(" answered 500"))
                .satisfies(a -> assertThat(a.get(1)).startsWith("WEBHOOK 2 "));
    }

    @Test
    void aReceiverThatNeverAnswersIsGivenUpOnWithinTheOutboundTimeout() throws Exception {
        Customer customer = customerWithWebhook(receiver(204, Duration.ofSeconds(30)));
        alerts.raise(customer.id(), YearMonth.of(2027, 5), "SPEND_CAP", 50, "50 % used");
        long started = System.nanoTime();
        alerts.deliverDue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(alerts.of(customer.id(), 1).getFirst().deliveryError())
                .as("what the customer is shown: general words, no exception text").isEqualTo("no answer in time");
    }

    @Test
    void aLongJobOnTheSchedulerDoesNotHoldUpTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        scheduler.schedule(() -> awaitThen(release, () -> { }), Instant.now());
        try {
            Thread.sleep(100);
            scheduler.schedule(otherRan::countDown, Instant.now());
            assertThat(otherRan.await(5, TimeUnit.SECONDS)).as("a second job ran while the first was busy").isTrue();
        } finally {
            release.countDown();
        }
    }

    private Instant nextAttempt(long alertId) {
        return jdbc.sql("select next_attempt_at from spendcap_alert where id = :id").param("id", alertId)
                .query(Timestamp.class).single().toInstant();
    }

    private void makeDue(long alertId) {
        jdbc.sql("update spendcap_alert set next_attempt_at = :now where id = :id")
                .param("now", Timestamp.from(clock.instant())).param("id", alertId).update();
    }

    private static Void awaitThen(CountDownLatch latch, Runnable then) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        then.run();
        return null;
    }
}
