package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.rating.BillableCharges;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.rating.internal.ChargeLocks;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.support.FreeRates;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Which calls an invoice holds is recorded as what each close covered (its days and its number), not as a
 * mark on every call (decision 0050). These tests pin the rule: a call is on the first close after it
 * became billable whose days hold its day; otherwise it is open, and on an already closed day that is late
 * usage. Each test bills its own months (2016 onwards, two per test), as {@link BillingIT} does.
 */
@IntegrationTest
class InvoiceCoverageIT {

    static final AtomicInteger NEXT = new AtomicInteger();
    static final String PRICED = BillingIT.PLATFORM_ONLY;
    /** Platform and telephony priced, nothing else: every call of the sample is unpriced (its LLM, STT...). */
    static final String PARTLY = "{\"layer\":\"platform\",\"provider\":\"vapi\",\"model\":\"*\",\"unit\":\"minute\",\"unitPrice\":\"0.05\"},"
            + "{\"layer\":\"telephony\",\"provider\":\"twilio\",\"model\":\"*\",\"unit\":\"minute\",\"unitPrice\":\"0.01\"}";

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    CustomerService customers;
    @Autowired
    RatingJobs jobs;
    @Autowired
    BillingRuns runs;
    @Autowired
    InvoiceService invoices;
    @Autowired
    BillableCharges charges;
    @Autowired
    RatingStore store;
    @Autowired
    ChargeLocks locks;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;

    /** Threads of the tests' own (the common pool may have a single thread on two cores). */
    final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

    Http http;
    Samples samples;
    YearMonth month;
    Customer acme;
    String acmeKey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        month = YearMonth.of(2016, 1).plusMonths(2L * NEXT.getAndIncrement());
        samples = Samples.fresh().onDay(month.atDay(10));
        acme = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Acme", "USD", "UTC"));
        acmeKey = fixtures.apiKey(acme);
        // a fence so that later months (other tests) are not priced by this test's card
        publish(month.plusMonths(1).atDay(20) + "T00:00:00Z",
                "{\"layer\":\"other\",\"provider\":\"fence\",\"model\":\"*\",\"unit\":\"token\",\"unitPrice\":\"0\"}");
    }

    @Test
    void aCallReRatedAfterItsInvoiceClosedStaysOnItAndItsChargesDoNotMove() {
        publish(month.atDay(1) + "T00:00:00Z", PRICED);
        deliver(samples.text(Samples.EOCR));
        long invoiceId = closeThroughABillingRun(month);
        String callId = samples.id(Samples.MAIN_CALL_ID);
        assertThat(charges.invoiceOf(callId)).contains(invoiceId);
        String before = invoice(invoiceId).toString();

        // a price correction for the closed month: the re-rating leaves the invoiced call alone
        publish(month.atDay(1) + "T00:00:00Z", PRICED.replace("0.05", "0.10"));
        jobs.runQueued();
        assertThat(charges.invoiceOf(callId)).contains(invoiceId);
        assertThat(callCharge(callId)).isEqualTo("0.192");
        // a call replaced anyway (as a redelivered report re-rates it), even by an unpriced rating, stays on it
        transactions.executeWithoutResult(status -> {
            locks.lock(List.of(acme.id()));
            store.replace(unpriced(callId), acme.id(), month.atDay(10).atStartOfDay().toInstant(ZoneOffset.UTC),
                    month.atDay(10), 192, List.of(), null, Instant.now(), locks.closes(acme.id()));
            store.rebuildRollups(acme.id(), java.util.Set.of(month.atDay(10)));
        });
        assertThat(charges.invoiceOf(callId)).contains(invoiceId);
        assertThat(invoice(invoiceId).toString()).isEqualTo(before);

        // nothing of it comes back as open or late usage on the next invoice
        assertThat(invoices.upcoming(acme).lines()).noneMatch(line -> line.kind() == LineKind.LATE_USAGE);
        long next = closeThroughABillingRun(month.plusMonths(1));
        assertThat(BillingIT.lines(invoice(next))).noneMatch(line -> line.startsWith("late_usage"));
        assertThat(charges.invoiceOf(callId)).contains(invoiceId);
    }

    @Test
    void aCallRatedAfterTheCloseForADayItCoveredIsLateUsageOnTheNextInvoice() {
        publish(month.atDay(1) + "T00:00:00Z", PRICED);
        deliver(samples.text(Samples.EOCR));
        long first = closeThroughABillingRun(month);

        Samples late = Samples.fresh().onDay(month.atDay(20));
        deliver(late.text(Samples.EOCR).replace(late.id(Samples.ACME), acme.externalId()));
        String lateCall = late.id(Samples.MAIN_CALL_ID);
        assertThat(charges.invoiceOf(lateCall)).isEmpty();
        assertThat(invoices.upcoming(acme).lines()).anyMatch(line -> line.kind() == LineKind.LATE_USAGE
                && line.description().equals("Late usage: platform vapi normal minute"));
        assertThat(BillingIT.lines(invoice(first))).noneMatch(line -> line.startsWith("late_usage"));

        long next = closeThroughABillingRun(month.plusMonths(1));
        assertThat(BillingIT.lines(invoice(next))).contains("late_usage Late usage: platform vapi normal minute = 0.16",
                "late_usage Late usage: telephony twilio - minute = 0.03");
        assertThat(charges.invoiceOf(lateCall)).contains(next);
        assertThat(charges.invoiceOf(samples.id(Samples.MAIN_CALL_ID))).contains(first);
    }

    @Test
    void anUnpricedCallLeftOpenAtFinalizationBillsAsLateUsageOnceItIsPriced() {
        publish(month.atDay(1) + "T00:00:00Z", PARTLY);
        deliver(samples.text(Samples.EOCR));
        String callId = samples.id(Samples.MAIN_CALL_ID);
        // finance closes anyway: the unpriced call stays off the invoice, open (decision 0037)
        long first = closeThroughABillingRun(month);
        assertThat(invoice(first).path("total").asString()).isEqualTo("0.00");
        assertThat(charges.invoiceOf(callId)).isEmpty();

        // priced now: the re-rating gives it to no invoice, the next close bills it as late usage
        publish(month.atDay(1) + "T00:00:00Z", PRICED);
        jobs.runQueued();
        assertThat(charges.invoiceOf(callId)).isEmpty();
        long next = closeThroughABillingRun(month.plusMonths(1));
        assertThat(BillingIT.lines(invoice(next))).contains("late_usage Late usage: platform vapi normal minute = 0.16",
                "late_usage Late usage: telephony twilio - minute = 0.03");
        assertThat(charges.invoiceOf(callId)).contains(next);
        assertThat(invoice(first).path("total").asString()).isEqualTo("0.00");
    }

    @Test
    void closingAMonthAgainChangesNothingAndRecordsNoSecondClose() {
        publish(month.atDay(1) + "T00:00:00Z", PRICED);
        deliver(samples.text(Samples.EOCR));
        long invoiceId = closeThroughABillingRun(month);
        String before = invoice(invoiceId).toString();

        InvoiceService.Closed again = invoices.close(acme, month);
        assertThat(again.alreadyClosed()).isTrue();
        assertThat(again.invoice().id()).isEqualTo(invoiceId);
        assertThat(closeThroughABillingRun(month)).isEqualTo(invoiceId);
        assertThat(invoice(invoiceId).toString()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from rating_close where customer_id = :id")
                .param("id", acme.id().value()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aCloseWaitsForACallBeingRatedForItsCustomerSoNoCallCountsAsRatedBeforeACloseThatMissedIt()
            throws Exception {
        publish(month.atDay(1) + "T00:00:00Z", PRICED);
        deliver(samples.text(Samples.EOCR));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // an ingest transaction of this customer that has read its epoch and not yet committed
        CompletableFuture<Integer> ingest = CompletableFuture.supplyAsync(() -> transactions.execute(status -> {
            int closes = locks.enterShared(acme.id());
            entered.countDown();
            await(release);
            return closes;
        }), threads);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<InvoiceService.Closed> closing = CompletableFuture.supplyAsync(
                () -> invoices.close(acme, month), threads);
        assertThat(waitForAChargeLockWaiter()).as("the close waiting on the charge lock").isTrue();
        assertThat(closing).as("the close waits for the ingest transaction").isNotDone();
        release.countDown();
        assertThat(ingest.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(closing.get(10, TimeUnit.SECONDS).invoice().total()).isEqualByComparingTo("0.19");
        // and an ingest transaction after the close reads the new epoch
        Integer closesAfter = transactions.execute(status -> locks.enterShared(acme.id()));
        assertThat(closesAfter).isEqualTo(1);
    }

    @Test
    void twoIngestTransactionsOfOneCustomerTakeTurnsWhileAnotherCustomersRunsBesideThem() throws Exception {
        Customer other = customers.create(NewCustomer.parse("other-" + samples.id(Samples.ACME), "Other", "USD",
                "UTC"));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a batch of one instance that has entered this customer's charges and not committed yet
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            locks.enterShared(List.of(acme.id()));
            entered.countDown();
            await(release);
        }), threads);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        // another instance's batch with the same customer (and another, entered after it in id order) waits
        // for it before writing any row: they no longer meet on the rollup rows in opposite orders
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(
                status -> locks.enterShared(List.of(other.id(), acme.id()))), threads);
        assertThat(waitForAChargeLockWaiter()).as("the second batch waiting on the customer's ingest lock").isTrue();
        // a batch of the other customer alone runs beside them
        transactions.executeWithoutResult(status -> locks.enterShared(List.of(other.id())));
        assertThat(second).isNotDone();
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeliveryForACustomerBeingClosedWaitsForTheCloseAndIsThenLateUsage() throws Exception {
        publish(month.atDay(1) + "T00:00:00Z", PRICED);
        deliver(samples.text(Samples.EOCR));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a close of this customer in progress: it holds the customer's charge lock until it commits
        CompletableFuture<Long> closing = CompletableFuture.supplyAsync(() -> transactions.execute(status -> {
            Long id = invoices.close(acme, month).invoice().id();
            locked.countDown();
            await(release);
            return id;
        }), threads);
        assertThat(locked.await(20, TimeUnit.SECONDS)).isTrue();
        Samples late = Samples.fresh().onDay(month.atDay(20));
        CompletableFuture<Void> delivery = CompletableFuture.runAsync(() ->
                deliver(late.text(Samples.EOCR).replace(late.id(Samples.ACME), acme.externalId())), threads);
        // the delivery's rating cannot enter the customer's charges, which the close holds: group commit sets it
        // aside and tries again (decision 0065) instead of its writer waiting on the lock; it is not answered yet
        Thread.sleep(1_500);
        assertThat(delivery).as("the delivery waits for the close to commit").isNotDone();
        release.countDown();
        long first = closing.get(20, TimeUnit.SECONDS);
        delivery.get(20, TimeUnit.SECONDS);
        // rated after the close: not on its invoice, but late usage on the next one
        assertThat(charges.invoiceOf(late.id(Samples.MAIN_CALL_ID))).isEmpty();
        assertThat(invoice(first).path("total").asString()).isEqualTo("0.19");
        long next = closeThroughABillingRun(month.plusMonths(1));
        assertThat(BillingIT.lines(invoice(next))).contains("late_usage Late usage: platform vapi normal minute = 0.16");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** True once some transaction waits for an advisory lock (the charge lock), within 20 s. */
    boolean waitForAChargeLockWaiter() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (jdbc.sql("select count(*) from pg_locks where locktype = 'advisory' and not granted")
                    .query(Long.class).single() > 0) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    long closeThroughABillingRun(YearMonth which) {
        long run = runs.start(which, acme, "test");
        runs.runQueued();
        BillingRun done = runs.get(run);
        assertThat(done.results()).singleElement().satisfies(result ->
                assertThat(result.outcome()).isIn("INVOICED", "ALREADY_CLOSED"));
        return done.results().getFirst().invoiceId();
    }

    static RatedCall unpriced(String callId) {
        return new RatedCall(callId, com.voiceledger.contract.PricingModel.RATE_CARD, null, null, "USD",
                BigDecimal.ZERO, 0, BigDecimal.ZERO, true, "unpriced: test", List.of());
    }

    String callCharge(String callId) {
        return http.get("/api/v1/calls/" + callId).bearer(acmeKey).send().json().path("charge").asString();
    }

    void publish(String effectiveFrom, String entries) {
        Http.Response response = http.post("/api/admin/v1/rate-card/versions", "application/json",
                        "{\"effectiveFrom\":\"" + effectiveFrom + "\",\"currency\":\"USD\",\"reason\":\"coverage test\","
                                + "\"entries\":[" + entries + "]}")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    void deliver(String body) {
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    JsonNode invoice(long id) {
        Http.Response response = http.get("/api/v1/invoices/" + id).bearer(acmeKey).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
