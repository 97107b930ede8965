package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.voiceledger.customer.Customer;
import com.voiceledger.jobs.JobFailures;
import com.voiceledger.support.Http;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.TestFixtures;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * One item that makes a scheduled job's step throw does not stop the job for the others (issue #27). The failure
 * is made real in the database: a trigger refuses the update that records one notice's outcome, as a constraint,
 * a full disk or a bug would. Before the isolation the round ended at that notice, and since rounds take the oldest
 * first, the notices behind it waited for its lease every round.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class JobIsolationIT {

    static final MutableClock CLOCK = MutableClock.INSTANCE;
    static final Pattern INVOICE = Pattern.compile("\"invoiceId\":(\\d+)");

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    SpendCaps spendCaps;
    @Autowired
    InvoiceNotices notices;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MeterRegistry meters;

    void notice(Customer customer, long invoiceId, Instant due) {
        InvoiceNoticeLeaseIT.notice(jdbc, customer, invoiceId, due);
    }

    @Test
    void aNoticeWhoseOutcomeCannotBeRecordedIsShownToFinanceAndTheNoticesBehindItAreStillSent() throws Exception {
        Instant start = Instant.parse("2026-11-03T10:00:00Z");
        CLOCK.set(start);
        Customer customer = fixtures.customer("job-isolation-" + System.nanoTime());
        long base = 9_100_000_000L + (System.nanoTime() % 1_000_000) * 10;
        long poisoned = base + 1;
        long second = base + 2;
        long third = base + 3;
        List<Long> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            Matcher id = INVOICE.matcher(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(id.find() ? Long.parseLong(id.group(1)) : -1);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String trigger = "refuse_outcome_" + base;
        double failuresBefore = failureCount();
        try {
            spendCaps.setAlertWebhook(customer, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
            notice(customer, poisoned, start.minusSeconds(3));
            notice(customer, second, start.minusSeconds(2));
            notice(customer, third, start.minusSeconds(1));
            // the update that records the poisoned notice's outcome (it lets go of the claim) is refused
            jdbc.sql("""
                    create function %1$s() returns trigger language plpgsql as $$
                    begin raise exception 'outcome of notice %2$d refused (test)'; end $$;
                    create trigger %1$s before update on spendcap_invoice_notice for each row
                    when (new.invoice_id = %2$d and new.claim_token is null and old.claim_token is not null)
                    execute function %1$s();
                    """.formatted(trigger, poisoned)).update();

            notices.deliverDue();

            assertThat(notices.status(second)).as("the notice behind the failing one, same round")
                    .isEqualTo("DELIVERED/NONE");
            assertThat(notices.status(third)).isEqualTo("DELIVERED/NONE");
            assertThat(notices.status(poisoned)).startsWith("PENDING");
            JsonNode shown = failuresShownToFinance("notice of invoice " + poisoned);
            assertThat(shown).as("finance sees it in GET /api/admin/v1/job-failures").isNotNull();
            assertThat(shown.path("job").asString()).isEqualTo(InvoiceNotices.JOB);
            assertThat(shown.path("error").asString()).contains("refused (test)");
            assertThat(failureCount() - failuresBefore).as("counted in " + JobFailures.METRIC).isEqualTo(1.0);

            // fixed (the trigger gone) and its claim run out: the next round sends it and the failure is cleared
            jdbc.sql("drop trigger %1$s on spendcap_invoice_notice; drop function %1$s()".formatted(trigger)).update();
            CLOCK.set(start.plus(InvoiceNotices.CLAIM).plusSeconds(1));
            notices.deliverDue();

            assertThat(notices.status(poisoned)).isEqualTo("DELIVERED/NONE");
            assertThat(failuresShownToFinance("notice of invoice " + poisoned)).as("cleared once it went through")
                    .isNull();
            // its post reached the receiver before its outcome was refused: at least once, as every webhook is
            assertThat(received).containsOnly(poisoned, second, third);
        } finally {
            jdbc.sql("drop trigger if exists %1$s on spendcap_invoice_notice; drop function if exists %1$s()"
                    .formatted(trigger)).update();
            receiver.stop(0);
            jdbc.sql("delete from spendcap_invoice_notice where invoice_id between :from and :to")
                    .param("from", poisoned).param("to", third).update();
        }
    }

    private double failureCount() {
        var counter = meters.find(JobFailures.METRIC).tag("job", InvoiceNotices.JOB).counter();
        return counter == null ? 0 : counter.count();
    }

    private JsonNode failuresShownToFinance(String subject) {
        Http.Response response = new Http(port).get("/api/admin/v1/job-failures").bearer(TestFixtures.ADMIN_TOKEN)
                .send();
        assertThat(response.status()).isEqualTo(200);
        for (JsonNode failure : response.json()) {
            if (failure.path("subject").asString().equals(subject)) {
                return failure;
            }
        }
        return null;
    }
}
