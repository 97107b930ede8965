package com.voiceledger.database;

import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One {@code insert ... values (...), (...), ...} statement for many rows: one round trip and one
 * executor run in PostgreSQL, where a JDBC batch of single-row inserts costs one of each per row
 * (decision 0045). Values are bound by position.
 */
public final class MultiRowInsert {

    private final String head;
    private final String tuple;
    private final String tail;
    private final List<@Nullable Object> values = new ArrayList<>();
    private int rows;

    /**
     * {@code head}: {@code insert into t (a, b, c)}; {@code tuple}: the placeholders of one row, e.g.
     * {@code (?, ?, cast(? as jsonb))}; {@code tail}: what follows the values (an {@code on conflict} clause).
     */
    public MultiRowInsert(String head, String tuple, String tail) {
        this.head = head;
        this.tuple = tuple;
        this.tail = tail;
    }

    /** Convenience: a tuple of {@code columns} plain placeholders. */
    public static String placeholders(int columns) {
        return "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
    }

    public MultiRowInsert row(@Nullable Object... rowValues) {
        for (Object value : rowValues) {
            // a typed null: without a type Spring would ask the driver for the parameter's type (a round trip)
            values.add(value == null ? NULL : value);
        }
        rows++;
        return this;
    }

    private static final SqlParameterValue NULL = new SqlParameterValue(Types.NULL, null);

    public boolean isEmpty() {
        return rows == 0;
    }

    /** Runs the statement (nothing when no row was added); the number of rows it inserted or updated. */
    public int execute(JdbcClient jdbc) {
        if (rows == 0) {
            return 0;
        }
        return jdbc.sql(sql()).params(values).update();
    }

    /** Runs the statement, whose tail has a {@code returning} clause, and maps the rows it returns. */
    public <T> List<T> query(JdbcClient jdbc, RowMapper<T> mapper) {
        if (rows == 0) {
            return List.of();
        }
        return jdbc.sql(sql()).params(values).query(mapper).list();
    }

    private String sql() {
        StringBuilder sql = new StringBuilder(head.length() + rows * (tuple.length() + 2) + tail.length() + 16);
        sql.append(head).append(" values ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(tuple);
        }
        return sql.append(' ').append(tail).toString();
    }
}
