package com.voiceledger.ingestion;

import com.voiceledger.database.QueryGauges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an operator watches of ingest (issue #32, ops/prometheus/voiceledger-alerts.yml): the deliveries queued for
 * this instance's group-commit writers, and the webhook lag, the age of the oldest delivery stored but not yet
 * processed in the whole database (normally none: a delivery is processed in its own request, so a lag over the
 * recovery grace means deliveries wait for {@link WebhookRecovery}, or keep failing in it).
 */
@Component
class IngestMetrics {

    static final String QUEUE_DEPTH = "voiceledger.ingest.queue.depth";
    static final String UNPROCESSED = "voiceledger.ingest.unprocessed";
    static final String OLDEST_UNPROCESSED = "voiceledger.ingest.unprocessed.oldest.age";

    IngestMetrics(ObjectProvider<MeterRegistry> registry, GroupCommit groupCommit, JdbcClient jdbc, Clock clock) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters == null) {
            return;
        }
        Gauge.builder(QUEUE_DEPTH, groupCommit, GroupCommit::queued)
                .description("deliveries waiting in this instance's group-commit queues for a writer").register(meters);
        // both read the index (status, received_at) of the webhook log
        QueryGauges.register(meters, UNPROCESSED, "deliveries stored and not processed yet (all instances)", null,
                Tags.empty(), () -> jdbc.sql("select count(*) from ingestion_webhook_event where status = 'RECEIVED'")
                        .query(Long.class).single());
        QueryGauges.register(meters, OLDEST_UNPROCESSED,
                "age of the oldest delivery stored and not processed yet; 0 when there is none", "seconds", Tags.empty(),
                () -> jdbc.sql("""
                        select coalesce(extract(epoch from cast(:now as timestamptz)) - extract(epoch from min(received_at)), 0)
                        from ingestion_webhook_event where status = 'RECEIVED'""")
                        .param("now", Timestamp.from(clock.instant())).query(Double.class).single());
    }
}
