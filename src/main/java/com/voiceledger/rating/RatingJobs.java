package com.voiceledger.rating;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.rating.internal.ChargeLocks;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.TransientRetry;
import com.voiceledger.usage.RatableCall;
import com.voiceledger.usage.RatableCalls;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.util.ArrayList;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
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
import org.springframework.transaction.annotation.Transactional;
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
    private final UnitGrants grants;
    private final AuditLog audit;
    /** This instance, as the holder of a job's lease. */
    private final String owner;
    private final Duration lease;
    private final int batch;
    /** At most this many calls per write transaction: what bounds how long ingest of its customers waits. */
    private final int part;
    private final TransactionTemplate readOnly;

    RatingJobs(JdbcClient jdbc, RatableCalls calls, RatingStore store, @Lazy RatingService rating,
            PlatformTransactionManager transactionManager, Clock clock, RateCardService rateCard, ChargeLocks locks,
            AuditLog audit, UnitGrants grants,
            @Value("${spring.application.name:voiceledger}") String instance,
            @Value("${voiceledger.jobs.lease:2m}") Duration lease,
            @Value("${voiceledger.rating.job-batch:2000}") int batch,
            @Value("${voiceledger.rating.job-part:250}") int part) {
        this.part = Math.max(1, part);
        this.grants = grants;
        this.audit = audit;
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
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
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

    /**
     * A claimed job with where it had got to (a resumed job goes on after its last re-rated call: the customer,
     * and that customer's call by time and id; {@code afterCustomer} null: from the start).
     */
    private record Claimed(RatingJob job, int ratecardVersion, @Nullable CustomerId afterCustomer,
            @Nullable Instant afterTime, @Nullable String afterId) {
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
                    rate, progress_at, ratecard_version, after_customer_id, after_time, after_call_id, claims
                """)
                .param("now", Timestamp.from(now))
                .param("owner", owner)
                .param("expires", Timestamp.from(now.plus(lease)))
                .query((rs, row) -> {
                    long afterCustomer = rs.getLong(14);
                    boolean started = !rs.wasNull();
                    Timestamp afterTime = rs.getTimestamp(15);
                    if (rs.getInt(17) > 1) {
                        log.warn("Rating job {} resumed by {} after {} of its calls", rs.getLong(1), owner, rs.getInt(7));
                    }
                    return new Claimed(job(rs), rs.getInt(13), started ? CustomerId.of(afterCustomer) : null,
                            started && afterTime != null ? afterTime.toInstant() : null, started ? rs.getString(16) : null);
                })
                .optional());
    }

    /**
     * Tests only: runs inside each of a job's write transactions once it holds its customer's locks, given that
     * customer (to show what ingest does meanwhile). Null in production.
     */
    private volatile java.util.function.@Nullable Consumer<CustomerId> whileLocked;

    public void whileAPartHoldsItsLocks(java.util.function.@Nullable Consumer<CustomerId> hook) {
        this.whileLocked = hook;
    }

    /**
     * Runs a job customer by customer (decision 0064). Each page of calls is read and priced with no lock and no
     * write (a read-only transaction: one look at the rate card's and the contracts' freshness), then written in
     * short transactions of at most {@code part} calls, each of whole customer-days where it can: it takes its
     * customer's ingest and charge locks as ingest does (ingest takes several in id order, so nothing waits in a circle), replaces the
     * calls' ratings in three statements, rebuilds the rollups of the customer-days it wrote once, and records the
     * progress. Ingest of that customer waits for one such transaction at most, everyone else not at all.
     */
    private void run(Claimed claimed) {
        RatingJob job = claimed.job();
        CustomerId customer = job.customerId() == null ? null : CustomerId.of(job.customerId());
        try {
            CustomerId afterCustomer = claimed.afterCustomer();
            int done = job.done();
            if (afterCustomer == null) {
                long total = calls.count(customer, job.from());
                done = 0;
                jdbc.sql("update rating_job set total = :total, done = 0 where id = :id").param("total", total)
                        .param("id", job.id()).update();
            }
            long startedNanos = System.nanoTime();
            int doneAtStart = done;
            // customers whose grant draws this run has planned again (once each, at its first part; decision 0072)
            Set<CustomerId> planned = new java.util.HashSet<>();
            // the next page is read and priced while this one is written: the JVM's part of the work (reading,
            // pricing) beside PostgreSQL's (writing, rebuilding), on another thread (decision 0064)
            int version = claimed.ratecardVersion();
            CompletableFuture<List<RatingStore.Rerated>> ahead = CompletableFuture.completedFuture(
                    readAndPrice(customer, job.from(), afterCustomer, claimed.afterTime(), claimed.afterId(), version));
            while (true) {
                List<RatingStore.Rerated> priced = join(ahead);
                if (priced.isEmpty()) {
                    break;
                }
                RatingStore.Rerated endOfPage = priced.getLast();
                ahead = CompletableFuture.supplyAsync(() -> readAndPrice(customer, job.from(), endOfPage.customer(),
                        endOfPage.callTime(), endOfPage.rated().callId(), version), READ_AHEAD);
                for (List<RatingStore.Rerated> part : parts(priced)) {
                    RatingStore.Rerated last = part.getLast();
                    int doneAfter = done + part.size();
                    double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
                    BigDecimal rate = BigDecimal.valueOf((doneAfter - doneAtStart) / seconds)
                            .setScale(1, java.math.RoundingMode.HALF_UP);
                    // the part and the progress in one transaction: a job resumed elsewhere starts right after it
                    TransientRetry.run(() -> transactions.executeWithoutResult(status -> {
                        holdLease(job.id());
                        write(part, job.from(), planned);
                        jdbc.sql("""
                                update rating_job set done = :done, after_customer_id = :afterCustomer,
                                    after_time = :afterTime, after_call_id = :afterId, rate = :rate, progress_at = :now
                                where id = :id
                                """)
                                .param("done", doneAfter)
                                .param("afterCustomer", last.customer().value())
                                .param("afterTime", Timestamp.from(last.callTime()))
                                .param("afterId", last.rated().callId())
                                .param("rate", rate)
                                .param("now", Timestamp.from(clock.instant()))
                                .param("id", job.id()).update();
                    }));
                    done = doneAfter;
                }
            }
            // a job paused after its last part stays paused (resumed, it finds nothing left and is done)
            jdbc.sql("""
                    update rating_job set status = 'DONE', finished_at = :now
                    where id = :id and lease_owner = :owner and status = 'RUNNING'""")
                    .param("now", Timestamp.from(clock.instant())).param("id", job.id()).param("owner", owner).update();
        } catch (Paused e) {
            log.info("Rating job {} paused", job.id());
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

    /** Runs the read-ahead of the next page; a thread of its own each time (it waits on the database). */
    private static final java.util.concurrent.Executor READ_AHEAD = command -> Thread.ofVirtual()
            .name("rating-job-read-ahead").start(command);

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * The next page after the position, priced: its last customer-day left to the next page when the page is full
     * (so that it is written, and its rollups rebuilt, once), unless that day is the whole page.
     */
    private List<RatingStore.Rerated> readAndPrice(@Nullable CustomerId customer, Instant from,
            @Nullable CustomerId afterCustomer, @Nullable Instant afterTime, @Nullable String afterId, int version) {
        List<RatableCall> page = calls.pageByCustomer(customer, from, afterCustomer, afterTime, afterId, batch);
        if (page.isEmpty()) {
            return List.of();
        }
        if (page.size() == batch) {
            int cut = lastDayStart(page);
            if (cut > 0) {
                page = page.subList(0, cut);
            }
        }
        return price(page, version);
    }

    /** Where the page's last customer-day starts (0: the page is one customer-day). */
    private int lastDayStart(List<RatableCall> page) {
        RatableCall last = page.getLast();
        LocalDate day = rating.dayOf(last.customerId(), last.callTime());
        int i = page.size() - 1;
        while (i > 0 && page.get(i - 1).customerId().equals(last.customerId())
                && rating.dayOf(last.customerId(), page.get(i - 1).callTime()).equals(day)) {
            i--;
        }
        return i;
    }

    /**
     * Prices a page beside ingest: a read-only transaction, so the rate card and contract copies are checked once
     * for the page, not once per call; it takes no lock and writes nothing.
     */
    private List<RatingStore.Rerated> price(List<RatableCall> page, int ratecardVersion) {
        return readOnly.execute(status -> {
            // this instance's copy of the rate card may lag behind the one the job was queued for
            rateCard.requireAtLeast(ratecardVersion);
            List<RatingStore.Rerated> priced = new ArrayList<>(page.size());
            for (RatableCall call : page) {
                RatedCall rated = rating.rate(call.callId(), call.customerId(), call.callTime(), call.durationSeconds(),
                        call.components());
                priced.add(new RatingStore.Rerated(rated, call.customerId(), call.callTime(),
                        rating.dayOf(call.customerId(), call.callTime()), call.durationSeconds(), call.components(),
                        call.assistantId()));
            }
            return priced;
        });
    }

    /**
     * A priced page in parts of one customer's calls, at most {@code part} of them, each cut where a customer-day
     * ends when there is such a place (a customer-day written in two parts has its rollups rebuilt twice).
     */
    private List<List<RatingStore.Rerated>> parts(List<RatingStore.Rerated> priced) {
        List<List<RatingStore.Rerated>> parts = new ArrayList<>();
        int start = 0;
        while (start < priced.size()) {
            // one customer per part: a part holds one customer's locks, never a neighbour's
            CustomerId customer = priced.get(start).customer();
            int customerEnd = start;
            while (customerEnd < priced.size() && priced.get(customerEnd).customer().equals(customer)) {
                customerEnd++;
            }
            int end = Math.min(customerEnd, start + part);
            if (end < customerEnd) {
                int cut = end;
                while (cut > start + 1 && sameDay(priced.get(cut - 1), priced.get(cut))) {
                    cut--;
                }
                if (cut > start + 1 || !sameDay(priced.get(start), priced.get(start + 1))) {
                    end = cut;
                }
            }
            parts.add(priced.subList(start, end));
            start = end;
        }
        return parts;
    }

    private static boolean sameDay(RatingStore.Rerated a, RatingStore.Rerated b) {
        return a.customer().equals(b.customer()) && a.day().equals(b.day());
    }

    /**
     * Writes a part in the caller's transaction: its customers entered as ingest enters them (their ingest locks
     * exclusively, their charge locks shared: a close waits for this part, or this part for it, and then it leaves
     * the calls that close took alone), the ratings replaced set-based, each customer-day's rollups rebuilt once.
     */
    private void write(List<RatingStore.Rerated> part, Instant from, Set<CustomerId> planned) {
        List<CustomerId> customers = part.stream().map(RatingStore.Rerated::customer).distinct().toList();
        locks.enterShared(customers);
        Map<CustomerId, Integer> closes = new HashMap<>();
        customers.forEach(c -> closes.put(c, locks.enterShared(c)));
        java.util.function.Consumer<CustomerId> hook = whileLocked;
        if (hook != null) {
            hook.accept(customers.getFirst());
        }
        // grants are drawn again under the customer's ingest lock, in call order, at its first part (decision 0072)
        CustomerId owner = part.getFirst().customer();
        if (planned.add(owner)) {
            grants.redrawFrom(owner, from);
        }
        List<RatingStore.Rerated> drawn = grants.applyDrawn(part);
        Map<CustomerId, Set<LocalDate>> touched = store.replaceAll(drawn, closes, clock.instant());
        touched.forEach((customer, days) -> {
            // the days' bounds, a day wider on each side (a day of a customer whose time zone changed since)
            ZoneId zone = rating.zoneOf(customer);
            Instant notBefore = days.stream().min(LocalDate::compareTo).orElseThrow().minusDays(1).atStartOfDay(zone)
                    .toInstant();
            Instant before = days.stream().max(LocalDate::compareTo).orElseThrow().plusDays(2).atStartOfDay(zone)
                    .toInstant();
            store.rebuildRollups(customer, days, notBefore, before);
        });
    }

    /**
     * Extends this instance's lease on the job (a heartbeat per transaction), in that transaction; if another
     * instance took the job over meanwhile (this one was too slow), or finance paused it, nothing is written.
     */
    private void holdLease(long id) {
        Instant now = clock.instant();
        int held = jdbc.sql("""
                update rating_job set lease_expires_at = :expires
                where id = :id and lease_owner = :owner and status = 'RUNNING'
                """)
                .param("expires", Timestamp.from(now.plus(lease))).param("id", id).param("owner", owner).update();
        if (held == 0) {
            String status = jdbc.sql("select status from rating_job where id = :id").param("id", id)
                    .query(String.class).single();
            if (status.equals("PAUSED")) {
                throw new Paused();
            }
            throw new LeaseLost("another instance took it over; this one stops");
        }
    }

    /**
     * Pauses a job that has not finished: no instance claims it, and the one running it stops before its next
     * transaction (what it wrote so far stays, and the job goes on from there when resumed); audited. False when
     * the job was not queued or running.
     */
    @Transactional
    public boolean pause(long id, String actor) {
        boolean paused = jdbc.sql("""
                update rating_job set status = 'PAUSED', rate = null where id = :id and status in ('QUEUED', 'RUNNING')
                """).param("id", id).update() == 1;
        if (paused) {
            find(id).ifPresent(job -> audit.record(actor, "re-rating paused", "rating job " + id, job.description(),
                    Map.of("done", job.done(), "total", job.total())));
        }
        return paused;
    }

    /** Resumes a paused job (audited): queued again, any instance takes it and goes on after its last call. */
    @Transactional
    public boolean resume(long id, String actor) {
        boolean resumed = jdbc.sql("""
                update rating_job set status = 'QUEUED', lease_expires_at = null where id = :id and status = 'PAUSED'
                """).param("id", id).update() == 1;
        if (resumed) {
            find(id).ifPresent(job -> audit.record(actor, "re-rating resumed", "rating job " + id, job.description(),
                    Map.of("done", job.done(), "total", job.total())));
        }
        return resumed;
    }

    /** This instance no longer holds the job's lease. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(String message) {
            super(message);
        }
    }

    /** Finance paused the job. */
    static final class Paused extends RuntimeException {
        Paused() {
            super("paused");
        }
    }

    private static final String SELECT = """
            select id, description, customer_id, from_time, status, total, done, error, created_at, finished_at,
                rate, progress_at
            from rating_job""";

    private static RatingJob job(java.sql.ResultSet rs) throws java.sql.SQLException {
        long customer = rs.getLong(3);
        Long customerId = rs.wasNull() ? null : customer;
        Timestamp finished = rs.getTimestamp(10);
        return new RatingJob(rs.getLong(1), rs.getString(2), customerId, rs.getTimestamp(4).toInstant(),
                rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
                finished == null ? null : finished.toInstant(), rs.getBigDecimal(11),
                rs.getTimestamp(12) == null ? null : rs.getTimestamp(12).toInstant());
    }
}
