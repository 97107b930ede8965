package com.voiceledger.ingestion;

import com.voiceledger.database.DeferredWrites;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;
import com.voiceledger.shared.CustomersBusy;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes deliveries that arrive together in one transaction: one commit, one WAL flush and one
 * transaction's overhead for a whole batch instead of for each delivery. A request thread hands over
 * its delivery to the writer of its customer (one queue per writer, decision 0048) and waits; that writer
 * thread takes what has queued (up to {@code maxBatch}, waiting at
 * most {@code maxWait} for more), runs every piece in one transaction in a fixed order (by customer, so
 * that concurrent batches lock shared rollup rows in the same order) and commits. Only then is each
 * request answered: a 2xx still means "on disk". When anything in a batch fails, the whole batch is
 * rolled back and every request of it is told so, and takes the one-delivery path on its own thread
 * (decision 0024), so one bad delivery costs its neighbours a second attempt, never their data.
 * A delivery whose customer's lock is held elsewhere is set aside for a later batch instead of holding up its
 * batch; a request waits at most {@code answerWithin} (then 503 with Retry-After); at shutdown the writers
 * drain what they took (decision 0065).
 * See docs/decisions/0046-group-commit.md.
 */
@Component
class GroupCommit implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** Thrown to the waiting request when its batch did not commit: it should try on its own. */
    static final class BatchFailed extends RuntimeException {
        BatchFailed(Throwable cause) {
            super("the batch this delivery was in did not commit", cause);
        }
    }

    /**
     * Thrown to the waiting request when its delivery was not written within {@code answerWithin} (a customer
     * whose lock stays held, a database that does not answer): the platform is told to retry (503 with
     * Retry-After) long before its own 20 s timeout. The delivery is withdrawn if no batch has taken it yet; if
     * one has, it may still commit, and the retry is then a duplicate.
     */
    static final class NotAnswered extends RuntimeException {
        NotAnswered(String message) {
            super(message, null, false, false);
        }
    }

    /** Writes a batch's deliveries (in the batch's transaction); one result per delivery, in their order. */
    interface BatchWriter<T> extends Function<List<T>, List<IngestResult>> {
    }

    private record Work(String order, String callId, Object delivery, BatchWriter<Object> writer,
            CompletableFuture<IngestResult> result, java.util.concurrent.atomic.AtomicInteger setAside) {
    }

    /** A delivery set aside because its customer's lock was held; tried again from {@code notBefore} on. */
    private record Parked(Work work, long notBefore) {
    }

    /**
     * How long a set-aside delivery waits before its writer tries its customer again: 5 ms, doubling each time
     * it is set aside again, up to 80 ms (a re-rating part holds a lock for some ms; a close for longer).
     */
    static final long RETRY_SET_ASIDE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private static long retryAfterNanos(Work work) {
        return RETRY_SET_ASIDE_NANOS << Math.min(4, work.setAside().getAndIncrement());
    }

    private final GroupCommitProperties properties;
    private final TransactionTemplate transactions;
    private final DeferredWrites deferred;
    /** One queue per writer; a customer's deliveries always go to the same one (see {@link #run}). */
    private final List<BlockingQueue<Work>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    GroupCommit(GroupCommitProperties properties, PlatformTransactionManager transactionManager,
            DeferredWrites deferred) {
        this.properties = properties;
        this.deferred = deferred;
        this.transactions = new TransactionTemplate(transactionManager);
        if (properties.enabled()) {
            for (int i = 0; i < Math.max(1, properties.writers()); i++) {
                BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
                queues.add(queue);
                writers.add(Thread.ofPlatform().daemon().name("ingest-writer-" + i).start(() -> write(queue)));
            }
        }
    }

    boolean enabled() {
        return properties.enabled() && running;
    }

    /**
     * Writes {@code delivery} with {@code writer}, together with the other deliveries of the next batch that
     * the same writer takes, in that batch's transaction; returns its result once that has committed;
     * {@link BatchFailed} when it did not (nothing of the batch is stored then); {@link NotAnswered} when it was
     * not written within {@code answerWithin}.
     */
    @SuppressWarnings("unchecked")
    <T> IngestResult run(String customerKey, String order, String callId, T delivery, BatchWriter<T> writer) {
        CompletableFuture<IngestResult> result = new CompletableFuture<>();
        // one customer's deliveries go to one writer: concurrent batches then never share a customer's rows
        // (rollups, names, its charge lock), so they never wait on, or deadlock with, each other (decision 0048)
        BlockingQueue<Work> queue = queues.get(Math.floorMod(customerKey.hashCode(), queues.size()));
        Work work = new Work(order, callId, delivery, (BatchWriter<Object>) writer, result,
                new java.util.concurrent.atomic.AtomicInteger());
        queue.add(work);
        if (!running && queue.remove(work)) {
            // stopping, and no writer took it: it goes on alone
            throw new BatchFailed(new IllegalStateException("stopping"));
        }
        try {
            return result.get(properties.answerWithin().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // withdrawn unless a batch is writing it right now (then its commit is kept, and answered as a
            // duplicate when the platform retries)
            if (result.completeExceptionally(new NotAnswered("not written within " + properties.answerWithin()))) {
                queue.remove(work);
                throw new NotAnswered("not written within " + properties.answerWithin());
            }
            return outcome(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the delivery's batch was written", e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static IngestResult outcome(CompletableFuture<IngestResult> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the delivery's batch was written", e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        return new BatchFailed(e.getCause());
    }

    /**
     * A writer: takes batches until the application stops, then the deliveries still queued (the drain:
     * every delivery a writer took is written or answered, none dropped).
     */
    private void write(BlockingQueue<Work> queue) {
        List<Parked> parked = new ArrayList<>();
        while (running || !queue.isEmpty() || !parked.isEmpty()) {
            List<Work> batch = new ArrayList<>();
            long now = System.nanoTime();
            parked.removeIf(p -> p.work().result().isDone()); // its request gave up (503) or was answered
            for (var it = parked.iterator(); it.hasNext() && batch.size() < properties.maxBatch(); ) {
                Parked p = it.next();
                if (p.notBefore() - now <= 0) {
                    batch.add(p.work());
                    it.remove();
                }
            }
            long waitNanos = parked.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(running ? 200 : 0)
                    : Math.max(0, parked.stream().mapToLong(Parked::notBefore).min().orElse(now) - now);
            try {
                nextBatch(queue, batch, batch.isEmpty() ? waitNanos : 0);
            } catch (InterruptedException e) {
                // not expected (nobody interrupts writers); whatever was taken is still written below
                Thread.currentThread().interrupt();
            }
            batch.removeIf(work -> work.result().isDone());
            if (!batch.isEmpty()) {
                writeBatch(batch, parked);
            } else if (!running && !parked.isEmpty()) {
                // draining: only set-aside deliveries are left; wait for their next try (their requests give up
                // after answerWithin at the latest)
                java.util.concurrent.locks.LockSupport.parkNanos(Math.max(waitNanos, RETRY_SET_ASIDE_NANOS));
            }
            if (Thread.interrupted()) {
                failAll(queue, parked, "interrupted");
                return;
            }
        }
    }

    /**
     * Writes a batch in one transaction; a delivery whose customer's lock is held elsewhere is set aside (parked
     * for a later batch) and the rest written without it, instead of every customer on this writer waiting
     * (decision 0065). Any other failure fails the whole batch: each delivery then goes on alone.
     */
    private void writeBatch(List<Work> batch, List<Parked> parked) {
        batch.sort(Comparator.comparing(Work::order));
        while (!batch.isEmpty()) {
            Map<BatchWriter<Object>, List<Work>> byWriter = new LinkedHashMap<>();
            batch.forEach(work -> byWriter.computeIfAbsent(work.writer(), writer -> new ArrayList<>()).add(work));
            Map<Work, IngestResult> results = new IdentityHashMap<>();
            try {
                // the batch's rows go in one statement per table (decision 0048)
                CustomersBusy.setAside(() -> transactions.execute(status -> deferred.batched(() -> {
                    byWriter.forEach((writer, works) -> {
                        List<IngestResult> written = writer.apply(works.stream().map(Work::delivery).toList());
                        for (int i = 0; i < works.size(); i++) {
                            results.put(works.get(i), written.get(i));
                        }
                    });
                    return results;
                })));
            } catch (CustomersBusy busy) {
                List<Work> aside = batch.stream().filter(work -> busy.callIds().contains(work.callId())).toList();
                if (aside.isEmpty()) {
                    fail(batch, busy);
                    return;
                }
                long now = System.nanoTime();
                aside.forEach(work -> parked.add(new Parked(work, now + retryAfterNanos(work))));
                batch.removeAll(aside);
                continue;
            } catch (RuntimeException | Error e) {
                fail(batch, e);
                return;
            }
            batch.forEach(work -> work.result().complete(results.get(work)));
            return;
        }
    }

    private static void fail(List<Work> batch, Throwable e) {
        log.debug("A batch of {} deliveries was rolled back; each is tried on its own", batch.size(), e);
        batch.forEach(work -> work.result().completeExceptionally(new BatchFailed(e)));
    }

    private static void failAll(BlockingQueue<Work> queue, List<Parked> parked, String why) {
        List<Work> left = new ArrayList<>();
        queue.drainTo(left);
        parked.forEach(p -> left.add(p.work()));
        parked.clear();
        left.forEach(work -> work.result().completeExceptionally(new BatchFailed(new IllegalStateException(why))));
    }

    /**
     * Adds to {@code batch} the first waiting delivery (waiting up to {@code firstWaitNanos} for one when the
     * batch is empty), then whatever else arrives within maxWait, up to maxBatch. Once the application is
     * stopping it waits for nothing: it takes what is queued.
     */
    private void nextBatch(BlockingQueue<Work> queue, List<Work> batch, long firstWaitNanos)
            throws InterruptedException {
        if (batch.isEmpty()) {
            Work first = running ? queue.poll(firstWaitNanos, TimeUnit.NANOSECONDS) : queue.poll();
            if (first == null) {
                return;
            }
            batch.add(first);
        }
        queue.drainTo(batch, Math.max(0, properties.maxBatch() - batch.size()));
        long deadline = System.nanoTime() + properties.maxWait().toNanos();
        while (running && batch.size() < properties.maxBatch()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Work next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, properties.maxBatch() - batch.size());
        }
    }

    /**
     * Stops taking deliveries and drains: each writer writes what it has taken and what is still queued (a
     * batch being gathered is finished, not dropped), for at most {@code answerWithin}; whatever is left then is
     * told to go on alone (its own transaction, or a 5xx if the database is gone).
     */
    @Override
    public void destroy() {
        running = false;
        long deadline = System.nanoTime() + properties.answerWithin().toNanos();
        for (Thread writer : writers) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    writer.join(Duration.ofNanos(left));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        writers.forEach(Thread::interrupt);
        List<Work> left = new ArrayList<>();
        queues.forEach(queue -> queue.drainTo(left));
        left.forEach(work -> work.result().completeExceptionally(new BatchFailed(new IllegalStateException("stopping"))));
    }

    /** Deliveries waiting in the writers' queues (not yet taken by a writer); for tests. */
    int queued() {
        return queues.stream().mapToInt(BlockingQueue::size).sum();
    }
}
