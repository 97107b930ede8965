package com.voiceledger.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.database.DeferredWrites.Shape;
import com.voiceledger.support.IntegrationTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Rows gathered over a batch and written at its end, one statement per kind of row, on the real database. */
@IntegrationTest
class DeferredWritesIT {

    @Autowired
    DeferredWrites deferred;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    String table;
    Shape plain;
    Shape summed;
    Shape strict;

    @BeforeEach
    void aTableOfItsOwn() {
        table = "deferred_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("create table " + table + " (k text primary key, n numeric not null, calls int not null)").update();
        plain = Shape.of("insert into " + table + " (k, n, calls)", "(?, ?, ?)", "");
        summed = Shape.summed("insert into " + table + " (k, n, calls)", "(?, ?, ?)", "on conflict (k) do update set "
                + "n = " + table + ".n + excluded.n, calls = " + table + ".calls + excluded.calls", 1);
        strict = Shape.everyRow("insert into " + table + " (k, n, calls)", "(?, ?, ?)", "on conflict (k) do nothing");
    }

    @Test
    void rowsOfABatchReachTheDatabaseOnlyAtItsEnd() {
        int seenInside = inTransaction(() -> deferred.batched(() -> {
            deferred.add(plain, "a", BigDecimal.ONE, 1);
            deferred.add(plain, "b", BigDecimal.TWO, 1);
            return count();
        }));

        assertThat(seenInside).isZero();
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void rowsWithTheSameKeyAreSummedIntoOneUpsert() {
        inTransaction(() -> deferred.batched(() -> {
            deferred.add(summed, "a", new BigDecimal("0.10"), 1);
            deferred.add(summed, "b", new BigDecimal("5"), 1);
            deferred.add(summed, "a", new BigDecimal("0.25"), 1);
            return null;
        }));
        inTransaction(() -> deferred.batched(() -> {
            deferred.add(summed, "a", new BigDecimal("1"), 1);
            return null;
        }));

        assertThat(rows()).containsExactly("a 1.35 3", "b 5 1");
    }

    @Test
    void rowsWithTheSameKeyCanKeepTheSmallestOfOneColumnAndTheLargestOfAnother() {
        Shape range = Shape.merged("insert into " + table + " (k, n, calls)", "(?, ?, ?)", "on conflict (k) do update set "
                + "n = least(" + table + ".n, excluded.n), calls = greatest(" + table + ".calls, excluded.calls)", 1,
                DeferredWrites.Merge.MIN, DeferredWrites.Merge.MAX);
        inTransaction(() -> deferred.batched(() -> {
            deferred.add(range, "a", new BigDecimal("5"), 2);
            deferred.add(range, "a", new BigDecimal("3"), 1);
            deferred.add(range, "a", new BigDecimal("4"), 9);
            return null;
        }));
        inTransaction(() -> deferred.batched(() -> {
            deferred.add(range, "a", new BigDecimal("7"), 4);
            return null;
        }));

        assertThat(rows()).containsExactly("a 3 9");
    }

    @Test
    void aStatementThatWritesFewerRowsThanItWasGivenFailsTheBatchAndNothingOfItStays() {
        inTransaction(() -> deferred.batched(() -> {
            deferred.add(plain, "taken", BigDecimal.ONE, 1);
            return null;
        }));

        assertThatThrownBy(() -> inTransaction(() -> deferred.batched(() -> {
            deferred.add(plain, "other", BigDecimal.ONE, 1);
            deferred.add(strict, "new", BigDecimal.ONE, 1);
            deferred.add(strict, "taken", BigDecimal.TEN, 1);
            return null;
        }))).isInstanceOf(DeferredWrites.RowsNotWritten.class).hasMessageContaining("1 of 2 rows written");

        assertThat(rows()).containsExactly("taken 1 1");
    }

    @Test
    void outsideABatchARowIsWrittenAtOnce() {
        int seen = inTransaction(() -> {
            deferred.add(plain, "a", BigDecimal.ONE, 1);
            return count();
        });

        assertThat(seen).isEqualTo(1);
    }

    @Test
    void aFlushWritesWhatTheBatchGatheredSoFarForWhoeverReadsIt() {
        int seenAfterFlush = inTransaction(() -> deferred.batched(() -> {
            deferred.add(summed, "a", BigDecimal.ONE, 1);
            deferred.flush();
            int seen = count();
            deferred.add(summed, "a", BigDecimal.ONE, 1);
            return seen;
        }));

        assertThat(seenAfterFlush).isEqualTo(1);
        assertThat(rows()).containsExactly("a 2 2");
    }

    @Test
    void aBatchNeedsATransaction() {
        assertThatThrownBy(() -> deferred.batched(() -> null)).isInstanceOf(IllegalStateException.class);
    }

    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        return new TransactionTemplate(transactionManager).execute(status -> work.get());
    }

    private int count() {
        return jdbc.sql("select count(*) from " + table).query(Integer.class).single();
    }

    private List<String> rows() {
        return jdbc.sql("select k || ' ' || n || ' ' || calls from " + table + " order by k").query(String.class).list();
    }
}
