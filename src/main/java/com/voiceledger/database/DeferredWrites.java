package com.voiceledger.database;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rows that a group-commit batch writes once, at its end, instead of once per delivery: each kind of row
 * ({@link Shape}) gathered over the whole batch and written as one multi-row statement, rollup rows
 * summed per key first. A batch of 32 deliveries then costs ten statements for these rows instead of
 * three hundred (decision 0048). Outside a batch, {@link #add} writes its row at once, so callers need
 * not know which path they are on.
 * <p>
 * Rows are written in the order their shapes were first used in the batch (a rated call before its
 * components, as the foreign keys need) and summed rows in key order (concurrent batches lock shared
 * rollup rows in the same order). Code that reads what the batch writes calls {@link #flush} first.
 */
@Component
public class DeferredWrites {

    /**
     * One kind of row: the statement {@code head values tuple, tuple ... tail}. {@code keyColumns} > 0:
     * rows with equal first {@code keyColumns} values are summed into one (the other values are numbers)
     * before the statement, as an upsert that adds needs; {@code latest}: the last of them is kept instead,
     * as an upsert that replaces needs (one statement cannot upsert a row twice). {@code everyRow}: the statement must write every
     * row it is given (an {@code on conflict do nothing} insert that expects no conflict); when it writes
     * fewer, the batch fails, and each of its deliveries is written again on its own.
     */
    public record Shape(String head, String tuple, String tail, int keyColumns, List<Merge> merges, boolean everyRow) {

        public static Shape of(String head, String tuple, String tail) {
            return new Shape(head, tuple, tail, 0, List.of(), false);
        }

        /** Rows with the same key summed (every other column a number). */
        public static Shape summed(String head, String tuple, String tail, int keyColumns) {
            return new Shape(head, tuple, tail, keyColumns, List.of(), false);
        }

        /** Rows with the same key merged column by column ({@code merges}: one per column after the key). */
        public static Shape merged(String head, String tuple, String tail, int keyColumns, Merge... merges) {
            return new Shape(head, tuple, tail, keyColumns, List.of(merges), false);
        }

        /** Of the rows with the same key, the last one added. */
        public static Shape latest(String head, String tuple, String tail, int keyColumns) {
            return new Shape(head, tuple, tail, keyColumns, List.of(Merge.LATEST), false);
        }

        public static Shape everyRow(String head, String tuple, String tail) {
            return new Shape(head, tuple, tail, 0, List.of(), true);
        }

        /** How a column after the key is merged; the last merge given applies to every later column. */
        Merge merge(int column) {
            int index = column - keyColumns;
            return merges.isEmpty() ? Merge.SUM : merges.get(Math.min(index, merges.size() - 1));
        }
    }

    /** How two values of a column are merged when their rows have the same key. */
    public enum Merge {
        SUM, MIN, MAX, LATEST
    }

    /** Thrown when a batch's statement wrote fewer rows than it was given (see {@link Shape#everyRow}). */
    public static final class RowsNotWritten extends IllegalStateException {
        RowsNotWritten(String head, int expected, int written) {
            super(written + " of " + expected + " rows written by: " + head.strip().lines().findFirst().orElse(head));
        }
    }

    private final JdbcClient jdbc;
    private final ThreadLocal<@Nullable Batch> current = new ThreadLocal<>();

    DeferredWrites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Runs {@code work} (in the caller's transaction) with every {@link #add} of this thread gathered,
     * then writes what was gathered, before the caller commits.
     */
    public <T> T batched(Supplier<T> work) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a batch of deferred writes needs a transaction");
        }
        if (current.get() != null) {
            return work.get(); // already gathering: the outer batch writes it all
        }
        Batch batch = new Batch();
        current.set(batch);
        try {
            T result = work.get();
            batch.write(jdbc);
            return result;
        } finally {
            current.remove();
        }
    }

    /** Whether this thread is gathering rows (a batch is open). */
    public boolean gathering() {
        return current.get() != null;
    }

    /** Adds a row: written at the end of the batch, or now when no batch is open. */
    public void add(Shape shape, @Nullable Object... row) {
        addAll(shape, List.<@Nullable Object[]>of(row));
    }

    /** Adds rows: written at the end of the batch, or now (as one statement) when no batch is open. */
    public void addAll(Shape shape, List<@Nullable Object[]> rows) {
        Batch batch = current.get();
        if (batch == null) {
            Rows now = new Rows(shape);
            rows.forEach(now::add);
            now.write(jdbc);
            return;
        }
        rows.forEach(row -> batch.add(shape, row));
    }

    /** Writes what this thread's batch has gathered so far (before reading what it wrote). */
    public void flush() {
        Batch batch = current.get();
        if (batch != null) {
            batch.write(jdbc);
        }
    }

    /** The rows of one batch, per shape, in the order the shapes were first used. */
    private static final class Batch {

        private final Map<Shape, Rows> rows = new LinkedHashMap<>();

        void add(Shape shape, @Nullable Object[] row) {
            rows.computeIfAbsent(shape, Rows::new).add(row);
        }

        void write(JdbcClient jdbc) {
            for (Rows pending : rows.values()) {
                pending.write(jdbc);
            }
            rows.clear();
        }
    }

    /** The gathered rows of one shape. */
    private static final class Rows {

        private final Shape shape;
        private final List<@Nullable Object[]> plain = new ArrayList<>();
        private final Map<List<Object>, @Nullable Object[]> summed = new TreeMap<>(Rows::compareKeys);

        Rows(Shape shape) {
            this.shape = shape;
        }

        void add(@Nullable Object[] row) {
            if (shape.keyColumns() == 0) {
                plain.add(row);
                return;
            }
            List<Object> key = Arrays.asList(Arrays.copyOf(row, shape.keyColumns()));
            summed.merge(key, row.clone(), this::merge);
        }

        private @Nullable Object[] merge(@Nullable Object[] into, @Nullable Object[] row) {
            for (int i = shape.keyColumns(); i < row.length; i++) {
                into[i] = switch (shape.merge(i)) {
                    case SUM -> plus(into[i], row[i]);
                    case MIN -> compare(into[i], row[i]) <= 0 ? into[i] : row[i];
                    case MAX -> compare(into[i], row[i]) >= 0 ? into[i] : row[i];
                    case LATEST -> row[i];
                };
            }
            return into;
        }

        void write(JdbcClient jdbc) {
            List<@Nullable Object[]> all = shape.keyColumns() == 0 ? plain : new ArrayList<>(summed.values());
            if (all.isEmpty()) {
                return;
            }
            MultiRowInsert statement = new MultiRowInsert(shape.head(), shape.tuple(), shape.tail());
            all.forEach(statement::row);
            int written = statement.execute(jdbc);
            if (shape.everyRow() && written != all.size()) {
                throw new RowsNotWritten(shape.head(), all.size(), written);
            }
            plain.clear();
            summed.clear();
        }

        private static @Nullable Object plus(@Nullable Object a, @Nullable Object b) {
            return switch (a) {
                case null -> b;
                case BigDecimal decimal -> decimal.add((BigDecimal) b);
                case Long number -> number + ((Number) b).longValue();
                case Integer number -> number + ((Number) b).intValue();
                default -> throw new IllegalArgumentException("cannot sum " + a.getClass().getSimpleName());
            };
        }

        private static int compareKeys(List<Object> a, List<Object> b) {
            for (int i = 0; i < a.size(); i++) {
                int order = compare(a.get(i), b.get(i));
                if (order != 0) {
                    return order;
                }
            }
            return 0;
        }

        /** Nulls first; otherwise the values' own order. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        private static int compare(@Nullable Object x, @Nullable Object y) {
            return x == null ? (y == null ? 0 : -1) : y == null ? 1 : ((Comparable) x).compareTo(y);
        }
    }
}
