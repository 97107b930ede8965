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
    private final String sequence;
    private final int blockSize;
    private final Deque<Long> ids = new ArrayDeque<>();

    public IdBlocks(JdbcClient jdbc, String sequence, int blockSize) {
        this.jdbc = jdbc;
        this.sequence = sequence;
        this.blockSize = blockSize;
    }

    /** The next id for a new row. */
    public synchronized long next() {
        if (ids.isEmpty()) {
            ids.addAll(jdbc.sql("select nextval(cast(:sequence as regclass)) from generate_series(1, :n)")
                    .param("sequence", sequence).param("n", blockSize).query(Long.class).list());
        }
        return ids.removeFirst();
    }
}
