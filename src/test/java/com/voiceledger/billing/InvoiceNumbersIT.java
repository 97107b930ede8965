package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.support.Http;
import com.voiceledger.support.Instances;
import com.voiceledger.support.Instances.Instance;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Legal numbers (issue #31, decision 0071): one gapless, monotonic series per issuing entity, series and
 * year of the finalization (UTC), taken in the finalizing transaction, on any number of instances.
 */
@IntegrationTest
class InvoiceNumbersIT {

    static final int PER_INSTANCE = 100;
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    @Autowired
    CustomerService customers;
    @Autowired
    InvoiceService invoices;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void twoInstancesFinalizingTwoHundredInvoicesAtOnceNumberThemOneToTwoHundredWithoutGapOrDuplicate()
            throws Exception {
        // an issuing entity of this test's own, so that no other test's invoice takes a number of its series
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        String prefix = "T" + tag;
        List<Long> drafts = drafts(2 * PER_INSTANCE);
        try (Instances instances = Instances.start(2, "--voiceledger.invoice.numbering.entity=numbers-it-" + tag,
                "--voiceledger.invoice.numbering.prefix=" + prefix)) {
            // both finalize in the middle of 2027: the series is 2027's whenever the test runs
            Instant midYear = Instant.parse("2027-06-15T12:00:00Z");
            for (Instance instance : instances.all()) {
                instance.clock().advance(Duration.between(Instant.now(), midYear));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Http.Response>> responses = new ArrayList<>();
            // 8 at a time per instance: below its pool of 16 connections, whose 1 s wait (support.Instances) a queue
            // of finalizations serialised on the counter row would otherwise outlast (a 503, not a numbering fault)
            try (ExecutorService a = Executors.newFixedThreadPool(8); ExecutorService b = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < drafts.size(); i++) {
                    Instance instance = instances.get(i % 2);
                    long id = drafts.get(i);
                    responses.add((i % 2 == 0 ? a : b).submit(() -> {
                        start.await();
                        return instance.http().post("/api/admin/v1/invoices/" + id + "/finalize", "application/json",
                                "{\"reason\": \"numbering test\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
                    }));
                }
                start.countDown();
                for (Future<Http.Response> response : responses) {
                    assertThat(response.get().status()).as(response.get().toString()).isEqualTo(200);
                }
            }
        }
        List<String> numbers = jdbc.sql("select number from billing_invoice where id in (:ids) order by finalized_at, id")
                .param("ids", drafts).query(String.class).list();
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 2 * PER_INSTANCE)
                .mapToObj(n -> "%s-2027-%06d".formatted(prefix, n)).toList());
        assertThat(jdbc.sql("select status from billing_invoice where id in (:ids)").param("ids", drafts)
                .query(String.class).list()).hasSize(2 * PER_INSTANCE).containsOnly(Invoice.FINALIZED);
    }

    @Test
    void aFinalizationThatRollsBackGivesItsNumberBackAndEachYearStartsItsOwnSeriesAtOne() {
        String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        InvoiceNumbers numbers = new InvoiceNumbers(jdbc, new InvoiceNumbering("rollback-it-" + tag, "R" + tag,
                "RC" + tag));
        Instant lastSecondOf2026 = Instant.parse("2026-12-31T23:59:59Z");
        InvoiceNumbers.Series invoice = InvoiceNumbers.Series.INVOICE;

        assertThat(committed(numbers, invoice, lastSecondOf2026)).isEqualTo("R" + tag + "-2026-000001");
        String rolledBack = new TransactionTemplate(transactionManager).execute(status -> {
            status.setRollbackOnly(); // the finalization failed after taking its number
            return numbers.next(invoice, lastSecondOf2026);
        });
        assertThat(rolledBack).isEqualTo("R" + tag + "-2026-000002");
        assertThat(committed(numbers, invoice, lastSecondOf2026))
                .as("the number of the rolled-back finalization is the next one's").isEqualTo(rolledBack);
        assertThat(committed(numbers, InvoiceNumbers.Series.CREDIT_NOTE, lastSecondOf2026))
                .as("credit notes have their own series").isEqualTo("RC" + tag + "-2026-000001");
        assertThat(committed(numbers, invoice, Instant.parse("2027-01-01T00:00:00Z")))
                .as("the year is the finalization's, in UTC").isEqualTo("R" + tag + "-2027-000001");
        assertThat(committed(numbers, invoice, lastSecondOf2026)).isEqualTo("R" + tag + "-2026-000003");
    }

    private String committed(InvoiceNumbers numbers, InvoiceNumbers.Series series, Instant at) {
        String number = new TransactionTemplate(transactionManager).execute(status -> numbers.next(series, at));
        return java.util.Objects.requireNonNull(number);
    }

    /** That many customers, each with October 2026 as a draft waiting for its grace period (far away). */
    private List<Long> drafts(int count) {
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Customer customer = customers.create(NewCustomer.parse(Samples.fresh().id(Samples.ACME), "Numbering " + i,
                    "USD", "UTC"));
            transactions.executeWithoutResult(status -> invoices.openDraft(customer, OCTOBER,
                    Instant.parse("2099-01-01T00:00:00Z"), null, Instant.now()));
            ids.add(jdbc.sql("select id from billing_invoice where customer_id = :customer")
                    .param("customer", customer.id().value()).query(Long.class).single());
        }
        return ids;
    }
}
