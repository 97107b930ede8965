package com.voiceledger.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one item of a scheduled job so that its failure stays its own (issue #27): the exception is logged, counted
 * in {@value #METRIC} (tagged with the job) and recorded for finance until the same item next succeeds; the job
 * goes on with the next item. Without this, one item whose data makes a step throw ends the whole round, and as
 * rounds pick items in a fixed order, the same item ends every round and the others wait forever.
 * Records are written in a transaction of their own, so a failure inside the caller's work is still recorded.
 */
@Service
public class JobFailures {

    public static final String METRIC = "voiceledger.job.failures";

    private static final Logger log = LoggerFactory.getLogger(JobFailures.class);
    private static final int MAX_ERROR = 500;

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final @Nullable MeterRegistry meters;

    JobFailures(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock,
            ObjectProvider<MeterRegistry> meters) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.meters = meters.getIfAvailable();
    }

    /**
     * Runs {@code work} for one item of {@code job}; true when it succeeded (an earlier failure of the item is then
     * cleared), false when it threw (recorded, not rethrown).
     */
    public boolean isolate(String job, String subject, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            failed(job, subject, e);
            return false;
        }
        succeeded(job, subject);
        return true;
    }

    /** Records a failure the caller caught itself (logged, counted, shown until {@link #succeeded}). */
    public void failed(String job, String subject, RuntimeException e) {
        log.error("{}: {} failed; the job goes on with the others", job, subject, e);
        if (meters != null) {
            Counter.builder(METRIC).description("items of background jobs that failed, the job going on")
                    .tag("job", job).register(meters).increment();
        }
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        try {
            ownTransaction.executeWithoutResult(status -> jdbc.sql("""
                    insert into job_failure (job, subject, error, failures, first_at, last_at)
                    values (:job, :subject, :error, 1, :now, :now)
                    on conflict (job, subject) do update set error = excluded.error,
                        failures = job_failure.failures + 1, last_at = excluded.last_at
                    """)
                    .param("job", job).param("subject", subject)
                    .param("error", error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error)
                    .param("now", Timestamp.from(clock.instant())).update());
        } catch (RuntimeException recording) {
            log.error("{}: could not record the failure of {}", job, subject, recording);
        }
    }

    /** The item succeeded: an earlier failure of it is no longer shown. */
    public void succeeded(String job, String subject) {
        jdbc.sql("delete from job_failure where job = :job and subject = :subject")
                .param("job", job).param("subject", subject).update();
    }

    /** Every item failing now, the most recent first. */
    public List<JobFailure> open() {
        return jdbc.sql("select job, subject, error, failures, first_at, last_at from job_failure order by last_at desc")
                .query((rs, row) -> new JobFailure(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()))
                .list();
    }
}
