package com.voiceledger.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical limit of the ingest path on this machine ({@code -Dbench.mode=limit}, run by
 * {@code bench/ingest-wrk.sh} right after the load): the rows the application actually wrote for some
 * deliveries of the run (read back as templates, one per customer) are written again, with fresh call
 * ids, straight into the same database, with the same durability, as fast as it takes them: one
 * multi-row insert per table per transaction, rollups pre-aggregated per transaction and upserted.
 * Two shapes: one delivery per transaction (what a 2xx per commit costs the database) and
 * {@code bench.limitBatch} deliveries per transaction (what group commit can reach). Prints deliveries/s
 * of each; the caller divides the ingest rate by them. Afterwards the copies are deleted by their ids
 * (index lookups, so cheap on a 10M-call data set too) and the sums they added to the rollups are taken
 * back, so a kept data set (bench/ingest-populated.sh) is as consistent as before.
 */
final class PhysicalLimit {

    /** Tables written once per delivery, and the column that holds the call id. */
    private static final Map<String, String> PER_CALL = new LinkedHashMap<>();

    static {
        PER_CALL.put("usage_call", "id");
        PER_CALL.put("usage_call_status", "call_id");
        PER_CALL.put("usage_call_artifact", "call_id");
        PER_CALL.put("rating_call", "call_id");
        PER_CALL.put("ingestion_webhook_event", "call_id");
    }

    /**
     * Rollups: key columns, the columns a delivery adds to, and which of its customer-day's rows one call adds
     * to ({@code %s}: the call id, quoted).
     */
    private record Rollup(String table, List<String> key, List<String> sums, String callsRows) {
    }

    private static final String CALLS_ASSISTANT = "assistant_id = (select assistant_id from rating_call where call_id = %s)";

    private static final List<Rollup> ROLLUPS = List.of(
            new Rollup("rating_rollup_daily", List.of("customer_id", "day", "layer", "provider", "model", "unit",
                    "assistant_id"), List.of("quantity", "provider_cost", "charge", "calls"), CALLS_ASSISTANT),
            new Rollup("rating_calls_daily", List.of("customer_id", "day", "assistant_id", "duration_bucket"),
                    List.of("calls", "duration_seconds", "unpriced_calls"), CALLS_ASSISTANT + " and duration_bucket = 120"),
            new Rollup("rating_invoice_rollup", List.of("customer_id", "day", "billable_epoch", "pricing_model", "layer",
                    "provider", "model", "unit", "billed_unit_price", "rate_source", "contract_id"),
                    List.of("quantity", "charge", "top_up", "calls", "topped_up_calls"),
                    "billable_epoch = (select billable_epoch from rating_call where call_id = %s)"));

    /** One table's rows of one template delivery, as text, in column order. */
    private record Rows(List<String> columns, List<String[]> rows) {
    }

    /** {@code written}: how many copies of it were committed, to take their rollup sums back afterwards. */
    private record Template(Map<String, Rows> perCall, Map<String, Rows> rollups, AtomicLong written) {
    }

    /** Ids of every copy committed, to delete them afterwards. */
    private static final java.util.Queue<String> COPIES = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private PhysicalLimit() {
    }

    static void run() throws Exception {
        String url = System.getProperty("bench.jdbcUrl");
        int threads = Integer.getInteger("bench.limitThreads", 8);
        int seconds = Integer.getInteger("bench.limitSeconds", 15);
        int batch = Integer.getInteger("bench.limitBatch", 10);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            List<Template> templates = templates(connection, 40);
            System.out.printf(Locale.ROOT, "LIMIT templates=%d rows_per_delivery=%d (%s) settings=%s%n",
                    templates.size(), rowsPerDelivery(templates.getFirst()), rowsByTable(templates.getFirst()),
                    settings(connection));
            for (int perTransaction : new int[] {1, batch}) {
                String load = BenchApp.load();
                double rate = measure(url, templates, threads, seconds, perTransaction);
                System.out.printf(Locale.ROOT, "LIMIT deliveries_per_tx=%d threads=%d rate=%.0f load=\"%s\"%n",
                        perTransaction, threads, rate, load);
            }
            long started = System.nanoTime();
            removeCopies(connection, templates);
            System.out.printf(Locale.ROOT, "LIMIT cleanup: %d copies deleted, rollup sums taken back, %.1f s%n",
                    templates.stream().mapToLong(t -> t.written().get()).sum(), (System.nanoTime() - started) / 1e9);
        }
    }

    /** Deletes the copies by id and subtracts what they added to the rollups, in one transaction. */
    private static void removeCopies(Connection connection, List<Template> templates) throws SQLException {
        List<String> ids = new ArrayList<>(COPIES);
        COPIES.clear();
        connection.setAutoCommit(false);
        for (int from = 0; from < ids.size(); from += 10_000) {
            var chunk = connection.createArrayOf("text", ids.subList(from, Math.min(ids.size(), from + 10_000)).toArray());
            for (String table : List.of("rating_call", "usage_call_status", "usage_call_artifact",
                    "ingestion_webhook_event", "usage_call")) {
                try (PreparedStatement statement = connection.prepareStatement("delete from " + table + " where "
                        + PER_CALL.get(table) + " = any(?)")) {
                    statement.setArray(1, chunk);
                    statement.executeUpdate();
                }
            }
        }
        for (Template template : templates) {
            long copies = template.written().get();
            for (Rollup rollup : ROLLUPS) {
                Rows rows = template.rollups().get(rollup.table());
                for (String[] row : rows.rows()) {
                    StringBuilder sql = new StringBuilder("update " + rollup.table() + " set ");
                    for (int i = 0; i < rollup.sums().size(); i++) {
                        String sum = rollup.sums().get(i);
                        sql.append(i == 0 ? "" : ", ").append(sum).append(" = ").append(sum).append(" - ?");
                    }
                    sql.append(" where ").append(String.join(" and ", rollup.key().stream()
                            .map(k -> k + " = ?").toList()));
                    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                        int index = 1;
                        for (String sum : rollup.sums()) {
                            // untyped, so that PostgreSQL reads each as its column's type (and the key's index is used)
                            statement.setObject(index++, new BigDecimal(row[column(rows, sum)])
                                    .multiply(BigDecimal.valueOf(copies)).toPlainString(), Types.OTHER);
                        }
                        for (String key : rollup.key()) {
                            statement.setObject(index++, row[column(rows, key)], Types.OTHER);
                        }
                        statement.executeUpdate();
                    }
                }
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private static String settings(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); ResultSet rs = statement.executeQuery("""
                select string_agg(name || '=' || setting, ' ' order by name) from pg_settings
                where name in ('fsync', 'synchronous_commit', 'full_page_writes')""")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String rowsByTable(Template template) {
        StringBuilder out = new StringBuilder();
        template.perCall().forEach((table, rows) -> out.append(table).append('=').append(rows.rows().size()).append(' '));
        template.rollups().forEach((table, rows) -> out.append(table).append('=').append(rows.rows().size()).append(' '));
        return out.toString().strip();
    }

    private static int rowsPerDelivery(Template template) {
        int rows = 0;
        for (Rows r : template.perCall().values()) {
            rows += r.rows().size();
        }
        for (Rows r : template.rollups().values()) {
            rows += r.rows().size();
        }
        return rows;
    }

    /** Deliveries of the run, one per customer (the latest of each), with every row they wrote. */
    private static List<Template> templates(Connection connection, int count) throws SQLException {
        List<String> callIds = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select distinct on (r.customer_id) r.call_id from rating_call r
                join customer c on c.id = r.customer_id
                where c.external_id like 'bench-%'
                  and r.call_id in (select call_id from ingestion_webhook_event where call_id is not null)
                order by r.customer_id, r.call_id limit ?""")) {
            statement.setInt(1, count);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    callIds.add(rs.getString(1));
                }
            }
        }
        if (callIds.isEmpty()) {
            throw new IllegalStateException("no rated delivery in the database to copy");
        }
        List<Template> templates = new ArrayList<>();
        for (String callId : callIds) {
            Map<String, Rows> perCall = new LinkedHashMap<>();
            for (var table : PER_CALL.entrySet()) {
                String exclude = table.getKey().equals("ingestion_webhook_event") ? "id" : null;
                perCall.put(table.getKey(), read(connection, "select * from " + table.getKey() + " where "
                        + table.getValue() + " = ?", callId, exclude));
            }
            String customer = perCall.get("rating_call").rows().getFirst()[column(perCall.get("rating_call"), "customer_id")];
            String day = perCall.get("rating_call").rows().getFirst()[column(perCall.get("rating_call"), "day")];
            Map<String, Rows> rollups = new LinkedHashMap<>();
            for (Rollup rollup : ROLLUPS) {
                // one delivery's share of its rollup rows: the rows of its customer-day (and assistant), one call each
                Rows rows = read(connection, "select * from " + rollup.table() + " where customer_id = cast(? as bigint)"
                        + " and day = cast('" + day + "' as date) and "
                        + rollup.callsRows().formatted("'" + callId.replace("'", "''") + "'"), customer, null);
                rollups.put(rollup.table(), oneCall(rows, rollup, perCall));
            }
            templates.add(new Template(perCall, rollups, new AtomicLong()));
        }
        return templates;
    }

    /** Rollup rows as one call adds them: its own quantities from its components, one call. */
    private static Rows oneCall(Rows rows, Rollup rollup, Map<String, Rows> perCall) {
        List<String[]> adjusted = new ArrayList<>();
        for (String[] row : rows.rows()) {
            String[] copy = row.clone();
            for (String sum : rollup.sums()) {
                copy[column(rows, sum)] = sum.equals("calls") ? "1"
                        : sum.equals("unpriced_calls") || sum.equals("topped_up_calls") ? "0"
                        : sum.equals("duration_seconds") ? "192" : "0.001";
            }
            adjusted.add(copy);
        }
        return new Rows(rows.columns(), adjusted);
    }

    private static int column(Rows rows, String name) {
        return rows.columns().indexOf(name);
    }

    private static Rows read(Connection connection, String sql, String parameter, String exclude) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (!meta.getColumnName(i).equals(exclude)) {
                        columns.add(meta.getColumnName(i));
                    }
                }
                List<String[]> rows = new ArrayList<>();
                while (rs.next()) {
                    String[] row = new String[columns.size()];
                    for (int i = 0; i < columns.size(); i++) {
                        row[i] = rs.getString(columns.get(i));
                    }
                    rows.add(row);
                }
                return new Rows(columns, rows);
            }
        }
    }

    private static double measure(String url, List<Template> templates, int threads, int seconds, int perTransaction)
            throws Exception {
        AtomicLong delivered = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            // each connection writes its own customers' deliveries, as the application's writers do (a writer
            // per customer, decision 0048): transactions never wait on each other's rollup rows
            List<Template> own = own(templates, t, threads);
            workers.add(Thread.ofPlatform().start(() -> {
                try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
                    connection.setAutoCommit(false);
                    int round = 0;
                    while (System.nanoTime() < end) {
                        List<Template> deliveries = new ArrayList<>();
                        for (int i = 0; i < perTransaction; i++) {
                            deliveries.add(own.get((round + i) % own.size()));
                        }
                        round += perTransaction;
                        List<String> ids = write(connection, deliveries);
                        connection.commit();
                        COPIES.addAll(ids);
                        deliveries.forEach(delivery -> delivery.written().incrementAndGet());
                        delivered.addAndGet(perTransaction);
                    }
                } catch (SQLException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            // a writer that stopped would make the limit look lower than it is: the run fails instead
            System.out.println("LIMIT failed: " + failure.get());
            throw new IllegalStateException("a limit writer failed", failure.get());
        }
        return delivered.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Connection {@code t}'s share of the templates (their customers), or all of them if there are too few. */
    private static List<Template> own(List<Template> templates, int t, int threads) {
        if (templates.size() < threads) {
            return templates;
        }
        List<Template> own = new ArrayList<>();
        for (int i = t; i < templates.size(); i += threads) {
            own.add(templates.get(i));
        }
        return own;
    }

    /** One transaction's rows: a multi-row insert per table, rollups summed per key and upserted; returns the ids. */
    private static List<String> write(Connection connection, List<Template> deliveries) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            ids.add("limit-" + UUID.randomUUID());
        }
        for (var table : PER_CALL.entrySet()) {
            Rows shape = deliveries.getFirst().perCall().get(table.getKey());
            int idColumn = column(shape, table.getValue());
            List<String[]> rows = new ArrayList<>();
            for (int i = 0; i < deliveries.size(); i++) {
                for (String[] row : deliveries.get(i).perCall().get(table.getKey()).rows()) {
                    String[] copy = row.clone();
                    copy[idColumn] = ids.get(i);
                    rows.add(copy);
                }
            }
            insert(connection, table.getKey(), shape.columns(), rows, null);
        }
        for (Rollup rollup : ROLLUPS) {
            Rows shape = deliveries.getFirst().rollups().get(rollup.table());
            Map<List<String>, String[]> summed = new java.util.TreeMap<>((a, b) -> String.join("|", a)
                    .compareTo(String.join("|", b)));
            for (Template delivery : deliveries) {
                for (String[] row : delivery.rollups().get(rollup.table()).rows()) {
                    List<String> key = rollup.key().stream().map(k -> row[column(shape, k)]).toList();
                    String[] existing = summed.get(key);
                    if (existing == null) {
                        summed.put(key, row.clone());
                    } else {
                        for (String sum : rollup.sums()) {
                            int c = column(shape, sum);
                            existing[c] = new BigDecimal(existing[c]).add(new BigDecimal(row[c])).toPlainString();
                        }
                    }
                }
            }
            StringBuilder conflict = new StringBuilder(" on conflict (" + String.join(", ", rollup.key())
                    + ") do update set ");
            for (int i = 0; i < rollup.sums().size(); i++) {
                String sum = rollup.sums().get(i);
                conflict.append(i == 0 ? "" : ", ").append(sum).append(" = ").append(rollup.table()).append('.')
                        .append(sum).append(" + excluded.").append(sum);
            }
            insert(connection, rollup.table(), shape.columns(), new ArrayList<>(summed.values()), conflict.toString());
        }
        return ids;
    }

    private static void insert(Connection connection, String table, List<String> columns, List<String[]> rows,
            String conflict) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into " + table + " (" + String.join(", ", columns) + ") values ");
        String tuple = "(" + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(tuple);
        }
        if (conflict != null) {
            sql.append(conflict);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (String[] row : rows) {
                for (String value : row) {
                    statement.setObject(index++, value, Types.OTHER);
                }
            }
            statement.executeUpdate();
        }
    }
}
