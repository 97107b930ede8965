package com.voiceledger.rating;

import com.voiceledger.rating.internal.ChargeLocks;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.TransientRetry;
import com.voiceledger.usage.RatableCall;
import com.voiceledger.usage.RatableCalls;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-rating in the background: a job is queued in the transaction of the change that needs it (so it
 * is never lost), then picked up by any instance and run in batches, each batch one transaction,
 * with its progress visible. Re-rating is idempotent: running a job twice leaves the same charges.
 */
@Service
public class RatingJobs {

    static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(RatingJobs.class);

    private final JdbcClient jdbc;
    private final RatableCalls calls;
    private final RatingStore store;
    private final RatingService rating;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final RateCardService rateCard;
    private final ChargeLocks locks;

    RatingJobs(JdbcClient jdbc, RatableCalls calls, RatingStore store, @Lazy RatingService rating,
            PlatformTransactionManager transactionManager, Clock clock, RateCardService rateCard, ChargeLocks locks) {
        this.rateCard = rateCard;
        this.locks = locks;
        this.jdbc = jdbc;
        this.calls = calls;
        this.store = store;
        this.rating = rating;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Queues a re-rating of one customer's (or every customer's) calls from an instant on. */
    public long enqueue(String description, @Nullable CustomerId customer, Instant from) {
        // the latest version this transaction sees (a publish queues its job in its own transaction)
        return jdbc.sql("""
                insert into rating_job (description, customer_id, from_time, status, created_at, ratecard_version)
                values (:description, :customerId, :from, 'QUEUED', :now, :version) returning id
                """)
                .param("version", rateCard.latestVersion())
                .param("description", description)
                .param("customerId", customer == null ? null : customer.value())
                .param("from", Timestamp.from(from))
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
    }

    public List<RatingJob> recent(int limit) {
        return jdbc.sql(SELECT + " order by id desc limit :limit").param("limit", limit).query((rs, row) -> job(rs)).list();
    }

    public Optional<RatingJob> find(long id) {
        return jdbc.sql(SELECT + " where id = :id").param("id", id).query((rs, row) -> job(rs)).optional();
    }

    public boolean anyPending() {
        return jdbc.sql("select exists (select 1 from rating_job where status in ('QUEUED', 'RUNNING'))")
                .query(Boolean.class).single();
    }

    /** Runs queued jobs until none is left. */
    @Scheduled(fixedDelayString = "${voiceledger.rating.job-poll:1s}", initialDelayString = "${voiceledger.rating.job-poll-start:5s}")
    public void runQueued() {
        Optional<RatingJob> job;
        while ((job = claim()).isPresent()) {
            run(job.get());
        }
    }

    private Optional<RatingJob> claim() {
        return transactions.execute(status -> jdbc.sql("""
                update rating_job set status = 'RUNNING', started_at = :now
                where id = (select id from rating_job where status = 'QUEUED' order by id limit 1 for update skip locked)
                returning id, description, customer_id, from_time, status, total, done, error, created_at, finished_at
                """)
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, row) -> job(rs))
                .optional());
    }

    private void run(RatingJob job) {
        CustomerId customer = job.customerId() == null ? null : CustomerId.of(job.customerId());
        try {
            int ratecardVersion = jdbc.sql("select ratecard_version from rating_job where id = :id")
                    .param("id", job.id()).query(Integer.class).single();
            long total = calls.count(customer, job.from());
            jdbc.sql("update rating_job set total = :total where id = :id").param("total", total).param("id", job.id())
                    .update();
            Instant afterTime = null;
            String afterId = null;
            int done = 0;
            while (true) {
                List<RatableCall> page = calls.page(customer, job.from(), afterTime, afterId, BATCH);
                if (page.isEmpty()) {
                    break;
                }
                TransientRetry.run(() -> transactions.executeWithoutResult(status -> rerate(page, ratecardVersion)));
                done += page.size();
                afterTime = page.getLast().callTime();
                afterId = page.getLast().callId();
                jdbc.sql("update rating_job set done = :done where id = :id").param("done", done).param("id", job.id())
                        .update();
            }
            jdbc.sql("update rating_job set status = 'DONE', finished_at = :now where id = :id")
                    .param("now", Timestamp.from(clock.instant())).param("id", job.id()).update();
        } catch (RuntimeException e) {
            log.error("Rating job {} failed", job.id(), e);
            jdbc.sql("update rating_job set status = 'FAILED', error = :error, finished_at = :now where id = :id")
                    .param("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .param("now", Timestamp.from(clock.instant())).param("id", job.id()).update();
        }
    }

    private void rerate(List<RatableCall> page, int ratecardVersion) {
        // this instance's copy of the rate card may lag behind the one the job was queued for
        rateCard.requireAtLeast(ratecardVersion);
        // a close of one of these customers waits for this page, or this page for it (then it skips its calls)
        locks.lock(page.stream().map(RatableCall::customerId).toList());
        Map<CustomerId, Set<LocalDate>> touched = new HashMap<>();
        Instant now = clock.instant();
        // Invoiced calls are in a closed period: never re-rated (corrections there are credit notes).
        Set<String> invoiced = new HashSet<>(jdbc.sql(
                        "select call_id from rating_call where call_id in (:ids) and invoice_id is not null")
                .param("ids", page.stream().map(RatableCall::callId).toList())
                .query(String.class)
                .list());
        for (RatableCall call : page) {
            if (invoiced.contains(call.callId())) {
                continue;
            }
            RatedCall rated = rating.rate(call.callId(), call.customerId(), call.callTime(), call.durationSeconds(),
                    call.components());
            LocalDate day = rating.dayOf(call.customerId(), call.callTime());
            store.replace(rated, call.customerId(), call.callTime(), day, call.durationSeconds(), call.components(),
                    call.assistantId(), now);
            touched.computeIfAbsent(call.customerId(), key -> new HashSet<>()).add(day);
        }
        touched.forEach(store::rebuildRollups);
    }

    private static final String SELECT = """
            select id, description, customer_id, from_time, status, total, done, error, created_at, finished_at
            from rating_job""";

    private static RatingJob job(java.sql.ResultSet rs) throws java.sql.SQLException {
        long customer = rs.getLong(3);
        Long customerId = rs.wasNull() ? null : customer;
        Timestamp finished = rs.getTimestamp(10);
        return new RatingJob(rs.getLong(1), rs.getString(2), customerId, rs.getTimestamp(4).toInstant(),
                rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
