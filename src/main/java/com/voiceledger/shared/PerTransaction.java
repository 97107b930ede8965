package com.voiceledger.shared;

import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A value worked out at most once per transaction (e.g. "is my cache still current?", a query), then
 * reused by every later use in that transaction; without a transaction, worked out each time.
 * Keeps cache checks to one cheap query per transaction instead of one per priced call.
 */
public final class PerTransaction {

    private PerTransaction() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T get(Object key, Supplier<T> supplier) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return supplier.get();
        }
        Object bound = TransactionSynchronizationManager.getResource(key);
        if (bound != null) {
            return (T) bound;
        }
        T value = supplier.get();
        TransactionSynchronizationManager.bindResource(key, value);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(key);
            }
        });
        return value;
    }

    /** Forgets the value for the rest of the transaction (e.g. after this transaction changed it). */
    public static void forget(Object key) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.unbindResourceIfPossible(key);
        }
    }
}
