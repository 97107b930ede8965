package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Revenue reads billing's documents while invoices are being finalized: every document it returns comes with
 * all of its lines (a finalization writes the lines and the FINALIZED status in one transaction). Read in three
 * statements, an invoice finalized between the first and the last showed without lines, and the revenue check
 * refused to lock a month that did reconcile. The invoices here are of
 * 2300 and later, months no other test reads.
 */
@IntegrationTest
class RevenueSourcesSnapshotIT {

    static final YearMonth MONTH = YearMonth.of(2300, 1);
    static final int INVOICES = 150;
    /** One customer's invoices of 150 months from January 2300, a time no other test reads. */
    static final YearMonth LAST = MONTH.plusMonths(INVOICES);

    @Autowired
    TestFixtures fixtures;
    @Autowired
    RevenueSources sources;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void everyDocumentReadWhileInvoicesAreFinalizedComesWithAllItsLines() throws Exception {
        List<Long> drafts = new ArrayList<>();
        Customer customer = fixtures.customer("revenue-snapshot-" + System.nanoTime());
        for (int i = 0; i < INVOICES; i++) {
            drafts.add(jdbc.sql("""
                    insert into billing_invoice (customer_id, month, number, kind, currency, subtotal, credits, total,
                        status, finalizes_at, created_at)
                    values (:customer, :month, :number, 'INVOICE', 'USD', 3.00, -1.00, 2.00, 'DRAFT', now(), now())
                    returning id
                    """)
                    .param("customer", customer.id().value())
                    .param("month", java.sql.Date.valueOf(MONTH.plusMonths(i).atDay(1)))
                    .param("number", "SNAPSHOT-" + System.nanoTime())
                    .query(Long.class).single());
        }
        AtomicBoolean finalizing = new AtomicBoolean(true);
        ExecutorService finalizer = Executors.newSingleThreadExecutor();
        Future<?> finalized = finalizer.submit(() -> {
            try {
                for (long id : drafts) {
                    // as a finalization does: its lines and its status in one transaction
                    transactions.executeWithoutResult(status -> {
                        line(id, 1, "usage", "3.00");
                        line(id, 2, "credit", "-1.00");
                        jdbc.sql("update billing_invoice set status = 'FINALIZED', finalized_at = now(), "
                                + "finalizes_at = null where id = :id").param("id", id).update();
                    });
                    pause(); // finalizations spread over the reads, as month-end ones are
                }
            } finally {
                finalizing.set(false);
            }
        });
        int reads = 0;
        int seenFinal = 0;
        int partialReads = 0;
        try {
            while (finalizing.get() || reads == 0) {
                int finalThisRead = 0;
                for (BillingDocument document : sources.documentsUpTo(LAST)) {
                    if (!drafts.contains(document.id())) {
                        continue;
                    }
                    seenFinal++;
                    finalThisRead++;
                    BigDecimal lines = document.lines().stream().map(BillingDocument.LineSum::amount)
                            .reduce(BigDecimal.ZERO, BigDecimal::add);
                    assertThat(lines).as("the lines of invoice %d as read", document.id())
                            .isEqualByComparingTo(document.subtotal().add(document.credits()));
                    assertThat(document.lines()).hasSize(2);
                }
                reads++;
                partialReads += finalThisRead > 0 && finalThisRead < INVOICES ? 1 : 0;
            }
            finalized.get(60, TimeUnit.SECONDS);
        } finally {
            finalizer.shutdownNow();
        }
        assertThat(partialReads).as("reads made while the invoices were being finalized (some final, some not)")
                .isPositive();
        assertThat(seenFinal).as("documents checked").isGreaterThanOrEqualTo(INVOICES);
        assertThat(sources.documentsUpTo(LAST)).filteredOn(document -> drafts.contains(document.id()))
                .hasSize(INVOICES);
    }

    static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void line(long invoice, int number, String kind, String amount) {
        jdbc.sql("""
                insert into billing_invoice_line (invoice_id, line_no, kind, description, amount, explanation)
                values (:invoice, :line, :kind, 'snapshot test', cast(:amount as numeric), '{}')
                """)
                .param("invoice", invoice).param("line", number).param("kind", kind).param("amount", amount).update();
    }
}
