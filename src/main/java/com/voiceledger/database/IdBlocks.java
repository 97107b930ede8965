package com.voiceledger.database;

import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Ids of a table's serial column taken from its sequence a block at a time, so that a row whose id the
 * caller needs at once can still be written later with others (decision 0048). Ids of a block that is
 * not used up are skipped, as a sequence's ids always may be; every instance takes its own blocks.
 */
public final class IdBlocks {

    private final JdbcClient jdbc;
    private final String table;
    private final String column;
    private final int blockSize;
    private final Deque<Long> ids = new ArrayDeque<>();
    private String sequence;

    public IdBlocks(JdbcClient jdbc, String table, String column, int blockSize) {
        this.jdbc = jdbc;
        this.table = table;
        this.column = column;
        this.blockSize = blockSize;
    }

    /** The next id for a new row. */
    public synchronized long next() {
        if (ids.isEmpty()) {
            if (sequence == null) {
                sequence = jdbc.sql("select pg_get_serial_sequence(:table, :column)")
                        .param("table", table).param("column", column).query(String.class).single();
            }
            ids.addAll(jdbc.sql("select nextval(cast(:sequence as regclass)) from generate_series(1, :n)")
                    .param("sequence", sequence).param("n", blockSize).query(Long.class).list());
        }
        return ids.removeFirst();
    }
}
