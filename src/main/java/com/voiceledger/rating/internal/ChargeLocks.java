package com.voiceledger.rating.internal;

import com.voiceledger.shared.CustomerId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One lock per customer's charges, held to the end of the transaction (a PostgreSQL advisory lock,
 * so it works across instances): the month-end close and a re-rating of the same customer take it,
 * so a re-rating never reads "not invoiced" and then writes a call back after a close gave it to an
 * invoice (issue 14, item 2). Several customers are locked in id order, so two holders never wait
 * on each other.
 *
 * <p>Ingest takes the same lock <em>shared</em> ({@link #enterShared}) before it rates a call, and reads the
 * number of closes the customer has had under it: that number is the call's billable epoch (decision
 * 0050), so a call can never count as rated before a close that did not see it. With it, ingest takes the
 * customer's ingest lock exclusively (V066): two ingest transactions of one customer (two instances'
 * batches) take turns, in customer id order, instead of meeting on the rollup rows in opposite orders.
 */
@Component
public class ChargeLocks {

    private final JdbcClient jdbc;

    ChargeLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(Collection<CustomerId> customers) {
        customers.stream().map(CustomerId::value).distinct().sorted().forEach(id ->
                jdbc.sql("select pg_advisory_xact_lock(hashtextextended('voiceledger.charges', :id))")
                        .param("id", id).query((rs, row) -> row).list());
    }

    /**
     * Takes the customer's lock shared (many ingest transactions at once; a close waits for them, and
     * they for it) and returns how many closes the customer has had. Once per customer and transaction:
     * later calls in the same transaction (a group-commit batch) answer from memory.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int enterShared(CustomerId customer) {
        Map<Long, Integer> entered = enteredInThisTransaction();
        return entered.computeIfAbsent(customer.value(), id ->
                jdbc.sql("select rating_enter_charges(:id)").param("id", id).query(Integer.class).single());
    }

    /**
     * {@link #enterShared(CustomerId)} for several customers in one round trip (in id order), before their
     * calls are rated one by one: those calls then answer from memory.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enterShared(Collection<CustomerId> customers) {
        Map<Long, Integer> entered = enteredInThisTransaction();
        List<Long> ids = customers.stream().map(CustomerId::value).filter(id -> !entered.containsKey(id)).distinct()
                .sorted().toList();
        if (ids.isEmpty()) {
            return;
        }
        // ids are numbers: written into the statement, in the order the locks are taken
        String array = ids.stream().map(String::valueOf).collect(Collectors.joining(",", "array[", "]::bigint[]"));
        jdbc.sql("select t.id, rating_enter_charges(t.id) from unnest(" + array + ") with ordinality as t(id, n) order by t.n")
                .query((rs, row) -> Map.entry(rs.getLong(1), rs.getInt(2)))
                .list().forEach(entry -> entered.put(entry.getKey(), entry.getValue()));
    }

    /**
     * {@link #enterShared(Collection)} without waiting (decision 0065): the customers whose locks are held elsewhere
     * (a re-rating part, a close, another instance's batch) are returned, not entered; the others are entered. The
     * caller rolls back when any is busy (a lock of a busy customer may have been half taken).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public java.util.Set<CustomerId> tryEnterShared(Collection<CustomerId> customers) {
        Map<Long, Integer> entered = enteredInThisTransaction();
        List<Long> ids = customers.stream().map(CustomerId::value).filter(id -> !entered.containsKey(id)).distinct()
                .sorted().toList();
        java.util.Set<CustomerId> busy = new java.util.HashSet<>();
        if (ids.isEmpty()) {
            return busy;
        }
        String array = ids.stream().map(String::valueOf).collect(Collectors.joining(",", "array[", "]::bigint[]"));
        jdbc.sql("select t.id, rating_try_enter_charges(t.id) from unnest(" + array
                        + ") with ordinality as t(id, n) order by t.n")
                .query((rs, row) -> {
                    long id = rs.getLong(1);
                    int closes = rs.getInt(2);
                    if (rs.wasNull()) {
                        busy.add(CustomerId.of(id));
                    } else {
                        entered.put(id, closes);
                    }
                    return row;
                })
                .list();
        return busy;
    }

    /** How many closes the customer has had; for holders of the exclusive lock ({@link #lock}). */
    @Transactional(propagation = Propagation.MANDATORY)
    public int closes(CustomerId customer) {
        return jdbc.sql("select coalesce(max(seq), 0) from rating_close where customer_id = :id")
                .param("id", customer.value()).query(Integer.class).single();
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, Integer> enteredInThisTransaction() {
        Object bound = TransactionSynchronizationManager.getResource(ENTERED);
        if (bound != null) {
            return (Map<Long, Integer>) bound;
        }
        Map<Long, Integer> entered = new HashMap<>();
        TransactionSynchronizationManager.bindResource(ENTERED, entered);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(ENTERED);
            }
        });
        return entered;
    }

    private static final Object ENTERED = new Object();
}
