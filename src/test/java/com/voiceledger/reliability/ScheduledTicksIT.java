package com.voiceledger.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.Deliveries;
import com.voiceledger.support.Http;
import com.voiceledger.support.Instances;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The jobs that act on every customer at once run on their own schedule, with nothing called by hand: an
 * instance on a database of its own (so they see only this test's customer) with the issuing tick and the
 * retention job polling every few hundred milliseconds. Last month's invoice becomes a draft by itself,
 * finalizes by itself a grace period (24 h on the instance's clock) later, and the delivery's raw body is
 * purged by itself once it is older than the retention (30 days).
 */
@IntegrationTest
class ScheduledTicksIT {

    @Autowired
    DataSource shared;

    static <T> T await(String what, Duration within, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + within.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + within + "; last seen: " + value);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            value = probe.get();
        }
        return value;
    }

    @Test
    void lastMonthsInvoiceDraftsAndFinalizesItselfAndOldRawBodiesArePurgedByTheirSchedules() {
        try (Instances instances = Instances.onOwnDatabase("scheduled_ticks", shared,
                "--voiceledger.billing.issuing-poll=300ms", "--voiceledger.billing.issuing-poll-start=0s",
                "--voiceledger.retention.poll=300ms", "--voiceledger.retention.poll-start=0s")) {
            Instances.Instance instance = instances.get(0);
            JdbcClient jdbc = instance.bean(JdbcClient.class);
            YearMonth lastMonth = YearMonth.from(instance.clock().instant().atOffset(ZoneOffset.UTC)).minusMonths(1);
            Http http = instance.http();
            assertThat(http.post("/api/admin/v1/customers", "application/json", """
                    {"externalId": "ticks", "name": "Ticks Ltd", "currency": "USD", "billingTimeZone": "UTC"}
                    """).bearer(TestFixtures.ADMIN_TOKEN).send().status()).isIn(200, 201);
            Http.Response contract = http.post("/api/admin/v1/customers/ticks/contracts", "application/json", """
                    {"effectiveFrom": "%sT00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                     "billingIncrementSeconds": 1, "reason": "scheduled ticks"}
                    """.formatted(lastMonth.atDay(1))).bearer(TestFixtures.ADMIN_TOKEN).send();
            assertThat(contract.status()).as(contract.toString()).isEqualTo(201);
            Deliveries.call(instance.port(), "ticks", lastMonth.atDay(10) + "T15:00:00Z");

            await("the draft of " + lastMonth, Duration.ofSeconds(30), () -> invoice(jdbc, lastMonth),
                    row -> row != null && "DRAFT".equals(row.get("status")));

            instance.clock().advance(Duration.ofHours(25));
            Map<String, Object> finalized = await("the finalization of " + lastMonth, Duration.ofSeconds(30),
                    () -> invoice(jdbc, lastMonth), row -> "FINALIZED".equals(row.get("status")));
            assertThat((java.math.BigDecimal) finalized.get("total")).isEqualByComparingTo("0.32");
            assertThat(jdbc.sql("select count(*) from billing_invoice_line where invoice_id = :id")
                    .param("id", finalized.get("id")).query(Long.class).single()).isEqualTo(1);

            assertThat(jdbc.sql("select count(*) from ingestion_webhook_event where body is not null")
                    .query(Long.class).single()).as("the delivery's body, before its retention ends").isEqualTo(1);
            instance.clock().advance(Duration.ofDays(31));
            await("the raw body's purge", Duration.ofSeconds(30), () -> jdbc.sql(
                            "select count(*) from ingestion_webhook_event where body is not null and status = 'PROCESSED'")
                    .query(Long.class).single(), left -> left == 0);
            assertThat(jdbc.sql("select count(*) from ingestion_webhook_event where body_purged_at is not null")
                    .query(Long.class).single()).isEqualTo(1);
        }
    }

    static Map<String, Object> invoice(JdbcClient jdbc, YearMonth month) {
        return jdbc.sql("select id, status, total from billing_invoice where kind = 'INVOICE' and month = :month")
                .param("month", java.sql.Date.valueOf(month.atDay(1))).query().listOfRows().stream().findFirst()
                .orElse(null);
    }
}
