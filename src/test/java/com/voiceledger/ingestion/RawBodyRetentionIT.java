package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.voiceledger.shared.ConflictException;
import com.voiceledger.support.Http;
import com.voiceledger.support.MutableClock;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Raw webhook bodies are purged 30 days (the default) after their delivery was processed, by the
 * retention job on the application's clock; failed and unprocessed deliveries keep theirs for a retry; the
 * webhook log keeps the delivery's record; two purges at once never wait for each other (docs/decisions/0053).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(MutableClock.Config.class)
class RawBodyRetentionIT {

    static final MutableClock CLOCK = MutableClock.INSTANCE;
    /** Long before any other test's deliveries, so the purges here touch only this test's. */
    static final Instant T0 = Instant.parse("2025-01-10T12:00:00Z");

    @LocalServerPort
    int port;
    @Autowired
    WebhookEventLog eventLog;
    @Autowired
    WebhookRetry retry;
    @Autowired
    RetentionJob job;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

    @Test
    void aProcessedDeliveryLosesItsBodyThirtyDaysAfterProcessingAndKeepsItsRecord() {
        String body = Samples.fresh().text(Samples.TWILIO_STATUS);
        CLOCK.set(T0);
        long processed = eventLog.store("vapi", "application/json", Map.of(), body);
        eventLog.recordOutcome(processed, WebhookEventStatus.PROCESSED, "status-update", "call-1", null);
        long ignored = eventLog.store("vapi", "application/json", Map.of(), body);
        eventLog.recordOutcome(ignored, WebhookEventStatus.IGNORED, "hang", null, null);
        long failed = eventLog.store("vapi", "application/json", Map.of(), body);
        eventLog.recordOutcome(failed, WebhookEventStatus.FAILED, "end-of-call-report", "call-2", "no customer");
        long received = eventLog.store("vapi", "application/json", Map.of(), body);
        CLOCK.set(T0.plus(Duration.ofDays(20)));
        long later = eventLog.store("vapi", "application/json", Map.of(), body);
        eventLog.recordOutcome(later, WebhookEventStatus.DUPLICATE, "status-update", "call-1", null);

        CLOCK.set(T0.plus(Duration.ofDays(30)).minusSeconds(1));
        job.run();
        assertThat(eventLog.body(processed)).as("29 days 23:59:59 after processing: kept").contains(body);

        CLOCK.set(T0.plus(Duration.ofDays(30)).plusSeconds(1));
        job.run();
        assertThat(eventLog.body(processed)).isEmpty();
        assertThat(eventLog.body(ignored)).isEmpty();
        assertThat(eventLog.body(failed)).as("a failed delivery keeps its body for a retry").contains(body);
        assertThat(eventLog.body(received)).as("an unprocessed one too (the recovery sweep needs it)").contains(body);
        assertThat(eventLog.body(later)).as("processed 20 days after the others: 10 days left").contains(body);

        WebhookEvent record = eventLog.find(processed).orElseThrow();
        assertThat(record.status()).isEqualTo(WebhookEventStatus.PROCESSED);
        assertThat(record.callId()).isEqualTo("call-1");
        assertThat(record.bodyPurgedAt()).isEqualTo(T0.plus(Duration.ofDays(30)).plusSeconds(1));
        assertThat(eventLog.find(failed).orElseThrow().bodyPurgedAt()).isNull();

        Http.Response answer = new Http(port).get("/api/admin/v1/webhook-events/" + processed + "/body")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().path("error").asString()).contains("purged");
        assertThatThrownBy(() -> retry.retry(processed)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("purged");

        CLOCK.set(T0.plus(Duration.ofDays(51)));
        job.run();
        assertThat(eventLog.body(later)).isEmpty();
        assertThat(eventLog.body(failed)).contains(body);
    }

    @Test
    void aPurgeSkipsARowAnotherInstanceHoldsInsteadOfWaitingForIt() throws Exception {
        String body = Samples.fresh().text(Samples.TWILIO_STATUS);
        CLOCK.set(T0.minus(Duration.ofDays(400)));
        long held = eventLog.store("twilio", "application/x-www-form-urlencoded", Map.of(), body);
        eventLog.recordOutcome(held, WebhookEventStatus.PROCESSED, "status-callback", "CA1", null);
        long free = eventLog.store("twilio", "application/x-www-form-urlencoded", Map.of(), body);
        eventLog.recordOutcome(free, WebhookEventStatus.PROCESSED, "status-callback", "CA2", null);
        CLOCK.set(T0.minus(Duration.ofDays(300)));
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement(
                    "select 1 from ingestion_webhook_event where id = ? for update")) {
                lock.setLong(1, held);
                lock.executeQuery().close();
            }
            assertTimeoutPreemptively(Duration.ofSeconds(20), job::run);
            assertThat(eventLog.body(free)).isEmpty();
            assertThat(eventLog.body(held)).as("claimed by the other purge: left to it").contains(body);
            other.rollback();
        }
        job.run();
        assertThat(eventLog.body(held)).isEmpty();
    }

    @Test
    void anEndOfCallReportBodyIsStoredCompressedToLessThanHalfItsSize() {
        String body = Samples.fresh().text(Samples.EOCR);
        long event = eventLog.store("vapi", "application/json", Map.of(), body);
        Map<String, Object> stored = jdbc.sql("""
                select octet_length(body) as raw, pg_column_size(body) as stored,
                       pg_column_compression(body) as method
                from ingestion_webhook_event where id = ?
                """).param(event).query().singleRow();
        System.out.printf("raw body %s bytes, stored %s bytes (%s)%n", stored.get("raw"), stored.get("stored"),
                stored.get("method"));
        assertThat((String) stored.get("method")).isIn("pglz", "lz4");
        assertThat(((Number) stored.get("stored")).intValue()).isLessThan(((Number) stored.get("raw")).intValue() / 2);
    }
}
