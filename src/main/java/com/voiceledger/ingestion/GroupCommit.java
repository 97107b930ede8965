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

    /** Writes a batch's deliveries (in the batch's transaction); one result per delivery, in their order. */
    interface BatchWriter<T> extends Function<List<T>, List<IngestResult>> {
    }

    private record Work(String order, Object delivery, BatchWriter<Object> writer,
            CompletableFuture<IngestResult> result) {
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
     * {@link BatchFailed} when it did not (nothing of the batch is stored then).
     */
    @SuppressWarnings("unchecked")
    <T> IngestResult run(String customerKey, String order, T delivery, BatchWriter<T> writer) {
        CompletableFuture<IngestResult> result = new CompletableFuture<>();
        // one customer's deliveries go to one writer: concurrent batches then never share a customer's rows
        // (rollups, names, its charge lock), so they never wait on, or deadlock with, each other (decision 0048)
        queues.get(Math.floorMod(customerKey.hashCode(), queues.size()))
                .add(new Work(order, delivery, (BatchWriter<Object>) writer, result));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the delivery's batch was written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new BatchFailed(e.getCause());
        }
    }

    private void write(BlockingQueue<Work> queue) {
        while (running) {
            List<Work> batch;
            try {
                batch = nextBatch(queue);
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            batch.sort(Comparator.comparing(Work::order));
            Map<BatchWriter<Object>, List<Work>> byWriter = new LinkedHashMap<>();
            batch.forEach(work -> byWriter.computeIfAbsent(work.writer(), writer -> new ArrayList<>()).add(work));
            Map<Work, IngestResult> results = new IdentityHashMap<>();
            try {
                // the batch's rows go in one statement per table (decision 0048)
                transactions.executeWithoutResult(status -> deferred.batched(() -> {
                    byWriter.forEach((writer, works) -> {
                        List<IngestResult> written = writer.apply(works.stream().map(Work::delivery).toList());
                        for (int i = 0; i < works.size(); i++) {
                            results.put(works.get(i), written.get(i));
                        }
                    });
                    return results;
                }));
            } catch (RuntimeException | Error e) {
                log.debug("A batch of {} deliveries was rolled back; each is tried on its own", batch.size(), e);
                batch.forEach(work -> work.result().completeExceptionally(new BatchFailed(e)));
                continue;
            }
            batch.forEach(work -> work.result().complete(results.get(work)));
        }
    }

    /** The first waiting delivery, then whatever else arrives within maxWait, up to maxBatch. */
    private List<Work> nextBatch(BlockingQueue<Work> queue) throws InterruptedException {
        Work first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
            return List.of();
        }
        List<Work> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, properties.maxBatch() - 1);
        long deadline = System.nanoTime() + properties.maxWait().toNanos();
        while (batch.size() < properties.maxBatch()) {
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
        return batch;
    }

    @Override
    public void destroy() {
        running = false;
        writers.forEach(Thread::interrupt);
        // whoever still waits is told to go on alone (its own transaction, or a 5xx if the database is gone)
        List<Work> left = new ArrayList<>();
        queues.forEach(queue -> queue.drainTo(left));
        left.forEach(work -> work.result().completeExceptionally(new BatchFailed(new IllegalStateException("stopping"))));
    }
}
