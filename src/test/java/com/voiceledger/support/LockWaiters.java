package com.voiceledger.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Evidence that a race raced: transactions seen waiting in {@code pg_locks}, and latches awaited with a bound. */
public final class LockWaiters {

    /** Row locks: a transaction waits for another's row (its transaction id) or for a tuple. */
    public static final String ROW = "locktype in ('transactionid', 'tuple')";
    /** Advisory locks, such as the per-customer charge lock. */
    public static final String ADVISORY = "locktype = 'advisory'";

    private LockWaiters() {
    }

    /** True once at least {@code count} transactions wait for a lock of the kind {@code which}, within 20 s. */
    public static boolean awaitWaiters(JdbcClient jdbc, String which, int count) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (jdbc.sql("select count(*) from pg_locks where " + which + " and not granted")
                    .query(Long.class).single() >= count) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Waits for the latch at most 20 s; an interruption ends the test. */
    public static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
