package com.voiceledger.ingestion;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Purges the raw body of deliveries processed successfully longer ago than the retention period
 * ({@code voiceledger.retention.raw-bodies}); the row stays as the webhook log's record of the delivery.
 * FAILED and RECEIVED deliveries keep their body: a retry (finance's, or the recovery sweep's) needs it.
 * Each batch is claimed with {@code for update skip locked} in its own short transaction, so two instances
 * purging at once take different rows and neither waits (docs/decisions/0053).
 */
@Component
class RawBodyRetention {

    /** Batches per run at most, so one run never holds the scheduler long; the next run goes on. */
    static final int MAX_BATCHES = 200;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RetentionProperties properties;

    RawBodyRetention(JdbcClient jdbc, PlatformTransactionManager transactionManager, RetentionProperties properties) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
    }

    /** Purges every body due at {@code now}, batch by batch; returns how many. */
    int purge(Instant now) {
        Instant cutoff = now.minus(properties.rawBodies());
        int total = 0;
        for (int round = 0; round < MAX_BATCHES; round++) {
            int purged = purgeBatch(now, cutoff);
            total += purged;
            if (purged < properties.batch()) {
                break;
            }
        }
        return total;
    }

    private int purgeBatch(Instant now, Instant cutoff) {
        Integer purged = transactions.execute(status -> jdbc.sql("""
                update ingestion_webhook_event e set body = null, body_purged_at = :now
                from (select id, received_at from ingestion_webhook_event
                      where body is not null and status in ('PROCESSED', 'DUPLICATE', 'IGNORED')
                        and processed_at < :cutoff
                      order by processed_at limit :batch
                      for update skip locked) due
                where e.id = due.id and e.received_at = due.received_at
                """)
                .param("now", Timestamp.from(now))
                .param("cutoff", Timestamp.from(cutoff))
                .param("batch", properties.batch())
                .update());
        return purged == null ? 0 : purged;
    }
}
