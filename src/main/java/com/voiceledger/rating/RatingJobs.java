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
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
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

    private static final Logger log = LoggerFactory.getLogger(RatingJobs.class);

    private final JdbcClient jdbc;
    private final RatableCalls calls;
    private final RatingStore store;
    private final RatingService rating;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final RateCardService rateCard;
    private final ChargeLocks locks;
    /** This instance, as the holder of a job's lease. */
    private final String owner;
    private final Duration lease;
    private final int batch;

    RatingJobs(JdbcClient jdbc, RatableCalls calls, RatingStore store, @Lazy RatingService rating,
            PlatformTransactionManager transactionManager, Clock clock, RateCardService rateCard, ChargeLocks locks,
            @Value("${spring.application.name:voiceledger}") String instance,
            @Value("${voiceledger.jobs.lease:2m}") Duration lease,
            @Value("${voiceledger.rating.job-batch:500}") int batch) {
        this.owner = instance + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.lease = lease;
        this.batch = batch;
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

    /** Runs queued jobs, and jobs whose instance stopped heartbeating, until none is left. */
    @Scheduled(fixedDelayString = "${voiceledger.rating.job-poll:1s}", initialDelayString = "${voiceledger.rating.job-poll-start:5s}")
    public void runQueued() {
        Optional<Claimed> job;
        while ((job = claim()).isPresent()) {
            run(job.get());
        }
    }

    /** A claimed job with where it had got to (a resumed job goes on after its last re-rated call). */
    private record Claimed(RatingJob job, int ratecardVersion, @Nullable Instant afterTime, @Nullable String afterId) {
    }

    private Optional<Claimed> claim() {
        Instant now = clock.instant();
        return transactions.execute(status -> jdbc.sql("""
                update rating_job set status = 'RUNNING', started_at = coalesce(started_at, :now), claims = claims + 1,
                    lease_owner = :owner, lease_expires_at = :expires
                where id = (select id from rating_job
                            where status = 'QUEUED'
                               or (status = 'RUNNING' and (lease_expires_at is null or lease_expires_at < :now))
                            order by id limit 1 for update skip locked)
                returning id, description, customer_id, from_time, status, total, done, error, created_at, finished_at,
                    ratecard_version, after_time, after_call_id, claims
                """)
                .param("now", Timestamp.from(now))
                .param("owner", owner)
                .param("expires", Timestamp.from(now.plus(lease)))
                .query((rs, row) -> {
                    Timestamp after = rs.getTimestamp(12);
                    if (rs.getInt(14) > 1) {
                        log.warn("Rating job {} resumed by {} after {} of its calls (its lease had expired)",
                                rs.getLong(1), owner, rs.getInt(7));
                    }
                    return new Claimed(job(rs), rs.getInt(11), after == null ? null : after.toInstant(),
                            rs.getString(13));
                })
                .optional());
    }

    private void run(Claimed claimed) {
        RatingJob job = claimed.job();
        CustomerId customer = job.customerId() == null ? null : CustomerId.of(job.customerId());
        try {
            if (claimed.afterTime() == null) {
                long total = calls.count(customer, job.from());
                jdbc.sql("update rating_job set total = :total where id = :id").param("total", total)
                        .param("id", job.id()).update();
            }
            Instant afterTime = claimed.afterTime();
            String afterId = claimed.afterId();
            int done = job.done();
            while (true) {
                List<RatableCall> page = calls.page(customer, job.from(), afterTime, afterId, batch);
                if (page.isEmpty()) {
                    break;
                }
                int doneAfter = done + page.size();
                // the page and the progress in one transaction: a job resumed elsewhere starts right after it
                TransientRetry.run(() -> transactions.executeWithoutResult(status -> {
                    holdLease(job.id());
                    rerate(page, claimed.ratecardVersion());
                    jdbc.sql("""
                            update rating_job set done = :done, after_time = :afterTime, after_call_id = :afterId
                            where id = :id
                            """)
                            .param("done", doneAfter)
                            .param("afterTime", Timestamp.from(page.getLast().callTime()))
                            .param("afterId", page.getLast().callId())
                            .param("id", job.id()).update();
                }));
                done = doneAfter;
                afterTime = page.getLast().callTime();
                afterId = page.getLast().callId();
            }
            jdbc.sql("update rating_job set status = 'DONE', finished_at = :now where id = :id and lease_owner = :owner")
                    .param("now", Timestamp.from(clock.instant())).param("id", job.id()).param("owner", owner).update();
        } catch (LeaseLost e) {
            log.warn("Rating job {}: {}", job.id(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("Rating job {} failed", job.id(), e);
            jdbc.sql("""
                    update rating_job set status = 'FAILED', error = :error, finished_at = :now
                    where id = :id and lease_owner = :owner
                    """)
                    .param("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                    .param("now", Timestamp.from(clock.instant())).param("id", job.id()).param("owner", owner).update();
        }
    }

    /**
     * Extends this instance's lease on the job (a heartbeat per page), in the page's transaction; if
     * another instance took the job over meanwhile (this one was too slow), the page is not written.
     */
    private void holdLease(long id) {
        Instant now = clock.instant();
        int held = jdbc.sql("""
                update rating_job set lease_expires_at = :expires
                where id = :id and lease_owner = :owner and status = 'RUNNING'
                """)
                .param("expires", Timestamp.from(now.plus(lease))).param("id", id).param("owner", owner).update();
        if (held == 0) {
            throw new LeaseLost("another instance took it over; this one stops");
        }
    }

    /** This instance no longer holds the job's lease. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(String message) {
            super(message);
        }
    }

    private void rerate(List<RatableCall> page, int ratecardVersion) {
        // this instance's copy of the rate card may lag behind the one the job was queued for
        rateCard.requireAtLeast(ratecardVersion);
        // a close of one of these customers waits for this page, or this page for it (then it skips its calls)
        locks.lock(page.stream().map(RatableCall::customerId).toList());
        Map<CustomerId, Set<LocalDate>> touched = new HashMap<>();
        Instant now = clock.instant();
        // Invoiced calls are in a closed period: never re-rated (corrections there are credit notes). A call is
        // invoiced when a close covers its day and epoch (decision 0050).
        Set<String> invoiced = new HashSet<>(jdbc.sql("""
                        select call_id from rating_call
                        where call_id in (:ids) and rating_covered(customer_id, day, billable_epoch)""")
                .param("ids", page.stream().map(RatableCall::callId).toList())
                .query(String.class)
                .list());
        Map<CustomerId, Integer> closes = new HashMap<>();
        for (RatableCall call : page) {
            if (invoiced.contains(call.callId())) {
                continue;
            }
            RatedCall rated = rating.rate(call.callId(), call.customerId(), call.callTime(), call.durationSeconds(),
                    call.components());
            LocalDate day = rating.dayOf(call.customerId(), call.callTime());
            store.replace(rated, call.customerId(), call.callTime(), day, call.durationSeconds(), call.components(),
                    call.assistantId(), now, closes.computeIfAbsent(call.customerId(), locks::closes));
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
