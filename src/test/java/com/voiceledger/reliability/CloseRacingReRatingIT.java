package com.voiceledger.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.billing.LineKind;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.rating.internal.ChargeLocks;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.LockWaiters;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A month-end close and a re-rating of the same customer's month at the same moment (as when a
 * correction is published on one instance while another closes): every call ends on exactly one
 * invoice, none comes back as late usage, whichever of the two takes the customer's charge lock first. Prices do not matter here (per-minute contracts); month
 * 2024-03, a fresh customer per round.
 */
@IntegrationTest
class CloseRacingReRatingIT {

    static final YearMonth MONTH = YearMonth.of(2024, 3);
    static final int CALLS = 60;
    static final int ROUNDS = 4;

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    ContractService contracts;
    @Autowired
    InvoiceService invoices;
    @Autowired
    RatingJobs jobs;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ChargeLocks locks;
    @Autowired
    TransactionTemplate transactions;

    /**
     * Both orders, forced, each round recording which happened: the test holds the customer's charge
     * lock, queues one contender behind it (seen waiting in {@code pg_locks}), then the other, and
     * lets go; PostgreSQL grants the lock in queue order. The invoice's subtotal says which ran first:
     * 60 calls of 3.2 minutes = 4 started minutes each, 240 minutes at 0.10 = 24.00 (the close took
     * them before the re-rating, which then leaves invoiced calls alone) or at 0.12 = 28.80 (the
     * re-rating priced them first). A re-rating or a close that did not take the lock never queues,
     * and the round fails.
     */
    @Test
    void aCloseRacingAReRatingLeavesEveryCallOnExactlyOneInvoiceInEitherOrder() throws Exception {
        Http http = new Http(port);
        List<String> wrong = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(3)) {
            for (int round = 0; round < ROUNDS; round++) {
                Samples samples = Samples.fresh().onDay(LocalDate.of(2024, 3, 1 + round));
                Customer customer = fixtures.customer(samples.id(Samples.ACME));
                contracts.add(customer, MONTH.atDay(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC), null,
                        perMinute("0.10"), "race", "test");
                String report = samples.text(Samples.EOCR);
                for (int i = 0; i < CALLS; i++) {
                    Http.Response answer = http.post("/webhooks/vapi", "application/json",
                                    report.replace(samples.id(Samples.MAIN_CALL_ID), UUID.randomUUID().toString()))
                            .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
                    assertThat(answer.status()).isEqualTo(200);
                }
                jobs.runQueued();
                // a new price from the second millisecond of the month: re-rates all of them
                contracts.add(customer, MONTH.atDay(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC).plusMillis(1),
                        null, perMinute("0.12"), "race", "test");

                boolean reRatingFirst = round % 2 == 0;
                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(
                        status -> {
                            locks.lock(List.of(customer.id()));
                            held.countDown();
                            await(release);
                        }), threads);
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<?> rerating;
                CompletableFuture<Invoice> closing;
                if (reRatingFirst) {
                    rerating = CompletableFuture.runAsync(jobs::runQueued, threads);
                    assertThat(waitForChargeLockWaiters(1)).as("round %d: the re-rating queued on the lock", round)
                            .isTrue();
                    closing = CompletableFuture.supplyAsync(() -> invoices.close(customer, MONTH).invoice(), threads);
                } else {
                    closing = CompletableFuture.supplyAsync(() -> invoices.close(customer, MONTH).invoice(), threads);
                    assertThat(waitForChargeLockWaiters(1)).as("round %d: the close queued on the lock", round)
                            .isTrue();
                    rerating = CompletableFuture.runAsync(jobs::runQueued, threads);
                }
                assertThat(waitForChargeLockWaiters(2)).as("round %d: both queued on the lock", round).isTrue();
                release.countDown();
                holder.get(10, TimeUnit.SECONDS);
                rerating.get(30, TimeUnit.SECONDS);
                Invoice invoice = closing.get(30, TimeUnit.SECONDS);

                String happened = invoice.subtotal().compareTo(new BigDecimal("28.80")) == 0 ? "re-rating first"
                        : invoice.subtotal().compareTo(new BigDecimal("24.00")) == 0 ? "close first"
                        : "neither (subtotal " + invoice.subtotal() + ")";
                orders.add(happened);
                Map<String, Object> state = jdbc.sql("""
                        select count(*) filter (where invoice = :invoice) as on_invoice,
                               count(*) filter (where invoice is null) as unbilled,
                               count(*) as calls,
                               coalesce(sum(charge) filter (where invoice = :invoice), 0) as charged
                        from (select rating_call_invoice(customer_id, day, billable_epoch, invoice_id) as invoice, charge
                              from rating_call where customer_id = :customer) calls
                        """)
                        .param("invoice", invoice.id()).param("customer", customer.id().value())
                        .query().singleRow();
                long late = invoices.upcoming(customer).lines().stream()
                        .filter(line -> line.kind() == LineKind.LATE_USAGE).count();
                // and the invoice says what its calls say (no call re-priced after the invoice was made)
                boolean sameMoney = invoice.subtotal().compareTo((BigDecimal) state.get("charged")) == 0;
                String queued = reRatingFirst ? "re-rating first" : "close first";
                if (((Number) state.get("on_invoice")).intValue() != CALLS || late != 0 || !sameMoney
                        || !happened.equals(queued)) {
                    wrong.add("round " + round + " (queued " + queued + ", happened " + happened + "): " + state
                            + ", late usage lines " + late + ", invoice subtotal " + invoice.subtotal());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(orders).as("the order each round took").contains("re-rating first", "close first");
    }

    boolean waitForChargeLockWaiters(int count) throws InterruptedException {
        return LockWaiters.awaitWaiters(jdbc, LockWaiters.ADVISORY, count);
    }

    static void await(CountDownLatch latch) {
        LockWaiters.await(latch);
    }

    static ContractTerms perMinute(String rate) {
        return new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal(rate), BigDecimal.ZERO, 60,
                BigDecimal.ZERO, null, BigDecimal.ONE, null);
    }
}
