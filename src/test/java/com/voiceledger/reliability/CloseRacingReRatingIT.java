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
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A month-end close and a re-rating of the same customer's month at the same moment (as when a
 * correction is published on one instance while another closes): every call ends on exactly one
 * invoice, none comes back as late usage. Prices do not matter here (per-minute contracts); month
 * 2024-03, a fresh customer per round.
 */
@IntegrationTest
class CloseRacingReRatingIT {

    static final YearMonth MONTH = YearMonth.of(2024, 3);
    static final int CALLS = 60;
    static final int ROUNDS = 6;

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

    @Test
    void aCloseRacingAReRatingLeavesEveryCallOnExactlyOneInvoice() throws Exception {
        Http http = new Http(port);
        List<String> wrong = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
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
                long delayMillis = round * 15L;
                CompletableFuture<?> rerating = CompletableFuture.runAsync(jobs::runQueued, threads);
                CompletableFuture<Invoice> closing = CompletableFuture.supplyAsync(() -> {
                    sleep(delayMillis);
                    return invoices.close(customer, MONTH).invoice();
                }, threads);
                rerating.get();
                Invoice invoice = closing.get();

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
                if (((Number) state.get("on_invoice")).intValue() != CALLS || late != 0 || !sameMoney) {
                    wrong.add("round " + round + " (close " + delayMillis + " ms after the re-rating started): " + state
                            + ", late usage lines " + late + ", invoice subtotal " + invoice.subtotal());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    static ContractTerms perMinute(String rate) {
        return new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal(rate), BigDecimal.ZERO, 60,
                BigDecimal.ZERO, null, BigDecimal.ONE, null);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
