package com.voiceledger.database;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The version of everything the ingest path caches (customers, attribution mappings, contracts, guard
 * and spend-cap settings): a counter that database triggers move on every change, whichever instance or
 * person made it (migration V045). Read at most once per transaction, so a delivery pays one small
 * statement for all its cached settings, and a change committed anywhere is seen by the next delivery
 * everywhere. See docs/decisions/0045-ingest-caches-and-batched-rows.md.
 */
@Component
public class SettingsVersion {

    private static final Object KEY = new Object();

    private final JdbcClient jdbc;

    SettingsVersion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The counter as this transaction first saw it (outside a transaction: as it is now). */
    public long current() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return read();
        }
        Long seen = (Long) TransactionSynchronizationManager.getResource(KEY);
        if (seen == null) {
            seen = read();
            TransactionSynchronizationManager.bindResource(KEY, seen);
            Long bound = seen;
            TransactionSynchronizationManager.registerSynchronization(new org.springframework.transaction.support
                    .TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (TransactionSynchronizationManager.getResource(KEY) == bound) {
                        TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
                    }
                }
            });
        }
        return seen;
    }

    private long read() {
        return jdbc.sql("select version from settings_version where id = 1").query(Long.class).single();
    }
}
