package com.voiceledger.ingestion;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import com.voiceledger.jobs.JobFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Finishes deliveries that were stored but never processed: the process died (or lost its database)
 * between committing the raw event and recording its outcome. The platform does not retry, so
 * without this a stored report would never become a call. Processing is idempotent, so an event that
 * was in fact processed is answered as a duplicate. See docs/decisions/0022-crash-recovery.md.
 */
@Service
class WebhookRecovery {

    private static final Logger log = LoggerFactory.getLogger(WebhookRecovery.class);

    private final JdbcClient jdbc;
    private final WebhookRetry retry;
    private final Clock clock;
    private final Duration grace;

    private final JobFailures failures;

    WebhookRecovery(JdbcClient jdbc, WebhookRetry retry, Clock clock,
            @Value("${voiceledger.ingest.recovery-grace:30s}") Duration grace, JobFailures failures) {
        this.failures = failures;
        this.jdbc = jdbc;
        this.retry = retry;
        this.clock = clock;
        this.grace = grace;
    }

    /** Events still RECEIVED after the grace period (longer than any request takes) are processed again. */
    @Scheduled(fixedDelayString = "${voiceledger.ingest.recovery-poll:30s}",
            initialDelayString = "${voiceledger.ingest.recovery-poll-start:10s}")
    public void recoverStuckEvents() {
        List<Long> stuck = jdbc.sql("""
                select id from ingestion_webhook_event
                where status = 'RECEIVED' and received_at < :before order by id limit 500
                """).param("before", Timestamp.from(clock.instant().minus(grace))).query(Long.class).list();
        for (Long eventId : stuck) {
            // one that fails is left RECEIVED (or FAILED by process): the next sweep, or finance, tries again
            failures.isolate("webhook recovery", "webhook event " + eventId, () -> {
                IngestResult result = retry.retry(eventId);
                log.info("Recovered webhook event {} left unprocessed: {}", eventId, result.status());
            });
        }
    }
}
