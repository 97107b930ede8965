package com.voiceledger.ingestion;

import com.voiceledger.usage.TranscriptPolicies;
import java.time.Clock;
import java.time.Instant;
import com.voiceledger.jobs.JobFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The retention job: purges raw webhook bodies past their retention period (docs/decisions/0053) and the
 * transcripts their customer's policy no longer keeps (docs/decisions/0054), then creates the webhook log's
 * next months and drops its old, fully purged ones (docs/decisions/0055). Runs on
 * every instance; each step claims its rows in the database, so instances running it at once do each purge
 * once.
 */
@Service
public class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final RawBodyRetention rawBodies;
    private final TranscriptPolicies transcripts;
    private final WebhookLogPartitions partitions;
    private final RetentionProperties properties;
    private final Clock clock;

    private final JobFailures failures;

    RetentionJob(RawBodyRetention rawBodies, TranscriptPolicies transcripts, WebhookLogPartitions partitions,
            RetentionProperties properties, Clock clock, JobFailures failures) {
        this.failures = failures;
        this.partitions = partitions;
        this.rawBodies = rawBodies;
        this.transcripts = transcripts;
        this.properties = properties;
        this.clock = clock;
    }

    /** What one run did. */
    public record Outcome(int rawBodiesPurged, int transcriptsDeleted, int monthsCreated, int monthsDropped) {

        boolean didSomething() {
            return rawBodiesPurged > 0 || transcriptsDeleted > 0 || monthsCreated > 0 || monthsDropped > 0;
        }
    }

    @Scheduled(fixedDelayString = "${voiceledger.retention.poll:10m}",
            initialDelayString = "${voiceledger.retention.poll-start:2m}")
    public void scheduled() {
        // the next run goes on where this one stopped: every step is idempotent; a failure is shown to finance
        failures.isolate("retention", "raw bodies, transcripts and webhook-log partitions", () -> {
            Outcome outcome = run();
            if (outcome.didSomething()) {
                log.info("Retention: {}", outcome);
            }
        });
    }

    /** One run at the clock's time. */
    public Outcome run() {
        Instant now = clock.instant();
        int purged = rawBodies.purge(now);
        int deleted = transcripts.purge(now, properties.batch(), RawBodyRetention.MAX_BATCHES);
        WebhookLogPartitions.Outcome months = partitions.maintain(now);
        return new Outcome(purged, deleted, months.created(), months.dropped());
    }
}
