package com.voiceledger.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.billing.CreditGrant;
import com.voiceledger.billing.CreditService;
import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.LockWaiters;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Credit given twice by requests at the same moment (a double click, a retry, two people): a grant
 * voided while a close applies it, credit notes issued in parallel for one invoice. Per-minute
 * contracts (prices do not matter), months 2024-08 and 2024-09, a fresh customer per round.
 */
@IntegrationTest
class CreditRacesIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    ContractService contracts;
    @Autowired
    InvoiceService invoices;
    @Autowired
    CreditService credits;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    Http http;

    /** A customer with six 3.2-minute calls at 0.10 a started minute in the month: 2.40. */
    Customer customerWithCalls(YearMonth month) {
        http = new Http(port);
        Samples samples = Samples.fresh().onDay(month.atDay(5));
        Customer customer = fixtures.customer(samples.id(Samples.ACME));
        contracts.add(customer, month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC), null,
                new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal("0.10"), BigDecimal.ZERO,
                        60, BigDecimal.ZERO, null, BigDecimal.ONE, null), "credits", "test");
        String report = samples.text(Samples.EOCR);
        for (int i = 0; i < 6; i++) {
            Http.Response answer = http.post("/webhooks/vapi", "application/json",
                            report.replace(samples.id(Samples.MAIN_CALL_ID), UUID.randomUUID().toString()))
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
            assertThat(answer.status()).isEqualTo(200);
        }
        return customer;
    }

    Http.Response admin(String path, String json) {
        return http.post(path, "application/json", json).bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    @Test
    void parallelCreditNotesForOneInvoiceNeverCreditMoreThanItsTotal() throws Exception {
        Customer customer = customerWithCalls(YearMonth.of(2024, 9));
        Invoice invoice = invoices.close(customer, YearMonth.of(2024, 9)).invoice();
        assertThat(invoice.total()).isEqualByComparingTo("2.40");
        List<Callable<Http.Response>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(() -> admin("/api/admin/v1/invoices/" + invoice.id() + "/credit-notes",
                    "{\"customer\":\"" + customer.externalId() + "\",\"amount\":\"1.00\",\"reason\":\"goodwill\"}"));
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
            for (Future<Http.Response> answer : senders.invokeAll(requests)) {
                statuses.add(answer.get().status());
            }
        }
        // 2.40 leaves room for two notes of 1.00; every other request is refused with a reason
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(2);
        assertThat(statuses).filteredOn(status -> status == 400).hasSize(6);
        BigDecimal credited = invoices.invoices(customer.id()).stream().filter(i -> i.number().startsWith("VL-CN"))
                .map(Invoice::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(credited).isEqualByComparingTo("-2.00");
    }

    /**
     * Both orders, forced, each round recording which happened: the test holds the grant's row lock,
     * queues the first contender behind it (seen waiting in {@code pg_locks}), then the others, and
     * lets go; PostgreSQL hands the row over in queue order. Even rounds queue a void (and its double
     * click) before the close, odd rounds the close first. Voided first: the close finds nothing to
     * apply (credits 0.00, one void 200, the double click 400); applied first: the close applies 2.40
     * of the 5.00 and both voids are refused (the grant has been used). A void or a close that does
     * not lock the grant never queues, and the round fails.
     */
    @Test
    void aGrantVoidedWhileACloseAppliesItIsEitherVoidedOrUsedNeverBothInEitherOrder() throws Exception {
        YearMonth month = YearMonth.of(2024, 8);
        List<String> wrong = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (int round = 0; round < 4; round++) {
                Customer customer = customerWithCalls(month);
                Http.Response granted = admin("/api/admin/v1/customers/" + customer.externalId() + "/credits",
                        "{\"amount\":\"5.00\",\"reason\":\"launch\",\"effectiveFrom\":\"2024-01-01T00:00:00Z\"}");
                assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
                long grant = granted.json().path("id").asLong();
                Callable<Integer> voiding = () -> admin("/api/admin/v1/customers/" + customer.externalId() + "/credits/"
                        + grant + "/void", "{\"reason\":\"sent by mistake\"}").status();

                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Future<?> holder = threads.submit(() -> transactions.executeWithoutResult(status -> {
                    jdbc.sql("select id from billing_credit_grant where id = :id for update").param("id", grant)
                            .query(Long.class).list();
                    held.countDown();
                    await(release);
                }));
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                boolean voidFirst = round % 2 == 0;
                Future<Integer> first;
                CompletableFuture<Invoice> closing;
                if (voidFirst) {
                    first = threads.submit(voiding);
                    assertThat(waitForRowLockWaiters(1)).as("round %d: the void queued on the grant", round).isTrue();
                    closing = CompletableFuture.supplyAsync(() -> invoices.close(customer, month).invoice(), threads);
                } else {
                    closing = CompletableFuture.supplyAsync(() -> invoices.close(customer, month).invoice(), threads);
                    assertThat(waitForRowLockWaiters(1)).as("round %d: the close queued on the grant", round).isTrue();
                    first = threads.submit(voiding);
                }
                assertThat(waitForRowLockWaiters(2)).as("round %d: both queued on the grant", round).isTrue();
                Future<Integer> second = threads.submit(voiding);
                assertThat(waitForRowLockWaiters(3)).as("round %d: the double click queued too", round).isTrue();
                release.countDown();
                holder.get(10, TimeUnit.SECONDS);
                Invoice invoice = closing.get(30, TimeUnit.SECONDS);
                List<Integer> voids = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));

                CreditGrant after = credits.grants(customer.id()).getFirst();
                long applied = after.entries().stream().filter(e -> e.kind().equals("APPLIED")).count();
                long voided = after.entries().stream().filter(e -> e.kind().equals("VOIDED")).count();
                String happened = voided == 1 && applied == 0 && invoice.credits().signum() == 0
                        && voids.equals(List.of(200, 400)) ? "voided first"
                        : applied == 1 && voided == 0 && invoice.credits().abs().compareTo(new BigDecimal("2.40")) == 0
                                && voids.equals(List.of(400, 400)) && after.balance().compareTo(new BigDecimal("2.60")) == 0
                        ? "applied first"
                        : "neither";
                orders.add(happened);
                String queued = voidFirst ? "voided first" : "applied first";
                if (!happened.equals(queued)) {
                    wrong.add("round " + round + " (queued " + queued + ", happened " + happened + "): void answers "
                            + voids + ", ledger " + after.entries() + ", balance " + after.balance()
                            + ", invoice credits " + invoice.credits());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(orders).as("the order each round took").contains("voided first", "applied first");
    }

    boolean waitForRowLockWaiters(int count) throws InterruptedException {
        return LockWaiters.awaitWaiters(jdbc, LockWaiters.ROW, count);
    }

    static void await(CountDownLatch latch) {
        LockWaiters.await(latch);
    }
}
