package com.voiceledger.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.spendcap.Alert;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.support.Http;
import com.voiceledger.support.Instances;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashSet;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The schedulers on two instances at once (the test profile turns them off everywhere else): each
 * threshold alert reaches the customer's webhook once, and each finalised invoice is pushed to Stripe
 * (the recording fake of {@link StripeIT}) once — no request sent twice, nothing created twice. Both
 * instances deliver alerts (each attempt records its instance), so "once" is not one instance doing all
 * the work; the single invoice is pushed by whichever claims it, while the other finds it due too.
 */
@IntegrationTest
class BackgroundJobsOnTwoInstancesIT {

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    Alerts alerts;
    @Autowired
    BillingRuns runs;
    @Autowired
    StripePushes stripe;
    @Autowired
    ContractService contracts;

    @Test
    void withSchedulersOnTwoInstancesEachAlertIsDeliveredOnceEachInvoicePushedOnceAndAFailedPushRetriedAfterItsBackoff() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        // the first post is held until a second one arrives: the instance that sent it is busy in its
        // round, so only the other instance can send the second; with one instance working the first
        // post times out and the test fails
        CountDownLatch two = new CountDownLatch(2);
        receiver.createContext("/alerts", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            two.countDown();
            try {
                two.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sleep(100); // a receiver that takes its time: both instances' rounds overlap
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Customer alerted = fixtures.customer("two-alerts-" + UUID.randomUUID().toString().substring(0, 8));
            spendCaps.setAlertWebhook(alerted, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts");
            long invoiceId = closedInvoice(true);
            // held back until both instances run (an instance starting alone would do all the work)
            hold(invoiceId);
            StripeIT.REQUESTS.clear();
            StripeIT.CREATED.clear();

            try (Instances instances = Instances.start(2, "--stripe.api-key=sk_test_voiceledger",
                    "--stripe.api-base=http://127.0.0.1:" + StripeIT.FAKE_STRIPE.getAddress().getPort())) {
                // a push takes longer than a poll: both instances find it due while it is being made
                StripeIT.ANSWER_DELAY_MILLIS.set(100);
                release(invoiceId);
                alerts.raise(alerted.id(), YearMonth.of(2027, 8), "SPEND_CAP", THRESHOLDS[0], THRESHOLDS[0] + " % used");
                waitFor(() -> !received.isEmpty()); // one instance now holds the first post open
                for (int threshold : java.util.Arrays.copyOfRange(THRESHOLDS, 1, THRESHOLDS.length)) {
                    alerts.raise(alerted.id(), YearMonth.of(2027, 8), "SPEND_CAP", threshold, threshold + " % used");
                }
                waitFor(() -> alerts.of(alerted.id(), 10).stream().allMatch(a -> a.deliveryStatus().equals("DELIVERED"))
                        && stripe.status(invoiceId).orElseThrow().status().equals("PUSHED"));
                sleep(1_500); // several more rounds on both instances: nothing is sent again

                // a push that fails is retried by the schedule after its backoff and not before; nothing is
                // forced: the instances' own clocks move past the backoff (2 min after the first failure)
                StripeIT.FAIL_FINALIZE.set(true);
                long failing = closedInvoice(false);
                waitFor(() -> stripe.status(failing).orElseThrow().status().equals("FAILED"));
                StripeIT.FAIL_FINALIZE.set(false);
                sleep(2_000); // four polls on each instance: still waiting for its backoff
                assertThat(stripe.status(failing).orElseThrow().status()).isEqualTo("FAILED");
                instances.all().forEach(instance -> instance.clock().advance(java.time.Duration.ofMinutes(3)));
                waitFor(() -> stripe.status(failing).orElseThrow().status().equals("PUSHED"));
            } finally {
                StripeIT.ANSWER_DELAY_MILLIS.set(0);
                StripeIT.FAIL_FINALIZE.set(false);
            }

            Map<String, Long> postsPerThreshold = received.stream()
                    .map(body -> body.replaceAll(".*\"threshold\":(\\d+).*", "$1"))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(postsPerThreshold).isEqualTo(java.util.Arrays.stream(THRESHOLDS).boxed()
                    .collect(Collectors.toMap(String::valueOf, t -> 1L)));
            Set<String> senders = new HashSet<>();
            for (Alert alert : alerts.of(alerted.id(), 10)) {
                assertThat(alerts.attempts(alert.id())).singleElement().asString().endsWith(" ok");
                senders.add(alerts.attempts(alert.id()).getFirst().split(" ")[2]);
            }
            assertThat(senders).as("the instances that delivered alerts").hasSize(2);

            String prefix = "vl-invoice-" + invoiceId;
            List<String> keys = StripeIT.REQUESTS.stream().filter(r -> r.method().equals("POST")
                    && r.idempotencyKey() != null && r.idempotencyKey().startsWith(prefix))
                    .map(StripeIT.Recorded::idempotencyKey).toList();
            assertThat(keys).as("each request of the push sent once").doesNotHaveDuplicates()
                    .contains(prefix, prefix + "-finalize");
            String stripeInvoice = StripeIT.stripeInvoiceId(prefix);
            assertThat(StripeIT.CREATED).filteredOn(c -> c.contains(stripeInvoice))
                    .containsOnlyOnce("invoice " + stripeInvoice, "finalized " + stripeInvoice)
                    .doesNotContain("invoice " + stripeInvoice + "_2");
        } finally {
            receiver.stop(0);
        }
    }

    static final int[] THRESHOLDS = {25, 50, 60, 70, 80, 90, 100};

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    /** Keeps the push from every schedule: failed, next attempt in 2100. */
    private void hold(long invoiceId) {
        jdbc.sql("update stripe_invoice_push set status = 'FAILED', next_attempt_at = timestamptz '2100-01-01' "
                + "where invoice_id = :id").param("id", invoiceId).update();
    }

    /** Queues the push again, as at the end of a close. */
    private void release(long invoiceId) {
        jdbc.sql("update stripe_invoice_push set status = 'PENDING', next_attempt_at = null where invoice_id = :id")
                .param("id", invoiceId).update();
    }

    /** A customer's month closed: its invoice waits as a PENDING push (until an instance takes it). */
    private long closedInvoice(boolean noInstanceRunning) {
        Samples samples = Samples.fresh().onDay(LocalDate.of(2026, 2, 10));
        Customer billed = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Two Instances Co", "USD", "UTC"));
        // priced, so the invoice has a line and is pushed (an invoice without lines is kept, not pushed: §5)
        contracts.add(billed, java.time.Instant.parse("2026-02-01T00:00:00Z"), null, new ContractTerms(
                PricingModel.PER_MINUTE, Map.of(), List.of(), new java.math.BigDecimal("0.10"), null, 60, null, null,
                null, null), "priced for the push", "test");
        Http.Response stored = new Http(port).post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        long run = runs.start(YearMonth.of(2026, 2), billed, "test");
        runs.runQueued();
        long invoiceId = runs.get(run).results().getFirst().invoiceId();
        if (noInstanceRunning) {
            assertThat(stripe.status(invoiceId).orElseThrow().status()).isEqualTo("PENDING");
        }
        return invoiceId;
    }

    private static void waitFor(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("done within 60 s").isLessThan(deadline);
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
