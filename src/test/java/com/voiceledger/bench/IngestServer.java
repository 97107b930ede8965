package com.voiceledger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * VoiceLedger alone in its process for the ingest benchmark ({@code -Dbench.mode=server}), so that the
 * load generator ({@code -Dbench.mode=ingest -Dbench.url=...}) measures the server's RSS and CPU apart
 * from its own. On a fresh embedded PostgreSQL with {@code pg_stat_statements}; while it runs it samples
 * what PostgreSQL's client backends wait on (every 20 ms); when the generator writes the stop file it
 * prints the wait profile and the statements that took the most time, and exits.
 */
final class IngestServer {

    private IngestServer() {
    }

    static void run() throws Exception {
        int port = Integer.getInteger("bench.port", 18080);
        Path stopFile = Path.of(System.getProperty("bench.stopFile", "target/bench-server.stop"));
        Path pidFile = Path.of(System.getProperty("bench.pidFile", "target/bench-server.pid"));
        Files.deleteIfExists(stopFile);
        Path dataDir = Files.createTempDirectory("voiceledger-bench-server");
        String extra = System.getProperty("bench.serverArgs", "");
        List<String> args = new java.util.ArrayList<>(List.of("--voiceledger.embedded.preload-libraries=pg_stat_statements"));
        if (!extra.isBlank()) {
            args.addAll(List.of(extra.split(" ")));
        }
        ConfigurableApplicationContext app = BenchApp.start(dataDir, false, port, args.toArray(String[]::new));
        DataSource dataSource = app.getBean(DataSource.class);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        jdbc.sql("create extension if not exists pg_stat_statements").update();
        System.out.println("settings: " + jdbc.sql("""
                select string_agg(name || '=' || setting, ', ' order by name) from pg_settings
                where name in ('synchronous_commit', 'shared_buffers', 'fsync', 'max_connections', 'wal_level')""")
                .query(String.class).single());
        long postmaster = postmasterPid(dataSource);
        Files.writeString(pidFile, ProcessHandle.current().pid() + " " + postmaster);
        System.out.printf(Locale.ROOT, "server on port %d, pid %d, postmaster %d; waiting for %s%n", port,
                ProcessHandle.current().pid(), postmaster, stopFile);

        Map<String, AtomicLong> waits = new ConcurrentHashMap<>();
        AtomicLong samples = new AtomicLong();
        boolean[] reset = {false};
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            JdbcClient sampling = JdbcClient.create(dataSource);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    List<String> states = sampling.sql("""
                            select state || ' / ' || coalesce(wait_event_type || ':' || wait_event, 'CPU')
                            from pg_stat_activity
                            where backend_type = 'client backend' and pid <> pg_backend_pid() and state <> 'idle'
                            """).query(String.class).list();
                    if (!states.isEmpty()) {
                        samples.incrementAndGet();
                    }
                    states.forEach(state -> waits.computeIfAbsent(state, k -> new AtomicLong()).incrementAndGet());
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the pool may be closing
                }
            }
        });
        // statistics start when the load generator has created its customers
        long commitsBefore = 0;
        while (!Files.exists(stopFile)) {
            Thread.sleep(200);
            if (!reset[0] && Files.exists(Path.of(stopFile + ".start"))) {
                jdbc.sql("select pg_stat_statements_reset()").query(Object.class).list();
                waits.clear();
                samples.set(0);
                commitsBefore = commits(jdbc);
                reset[0] = true;
            }
        }
        sampler.interrupt();
        long commits = commits(jdbc) - commitsBefore;
        System.out.printf(Locale.ROOT, "%n== PostgreSQL during the load: %,d commits ==%n", commits);
        System.out.println("active client backends by state / wait (20 ms samples with any active backend: "
                + samples.get() + ")");
        new TreeMap<>(waits).entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
                .limit(15).forEach(e -> System.out.printf(Locale.ROOT, "  %8d  %s%n", e.getValue().get(), e.getKey()));
        System.out.println("statements by total time (pg_stat_statements):");
        System.out.println("     calls   total ms   mean ms      rows  query");
        jdbc.sql("""
                select calls, total_exec_time, mean_exec_time, rows,
                    regexp_replace(left(query, 110), '\\s+', ' ', 'g')
                from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
                order by total_exec_time desc limit 25""")
                .query((rs, row) -> String.format(Locale.ROOT, "  %8d %10.0f %9.3f %9d  %s", rs.getLong(1),
                        rs.getDouble(2), rs.getDouble(3), rs.getLong(4), rs.getString(5)))
                .list().forEach(System.out::println);
        List<String> mismatches = app.getBean(com.voiceledger.rating.RatingQueries.class).rollupMismatches();
        System.out.println("rollups against charges after the load: "
                + (mismatches.isEmpty() ? "agree" : mismatches.size() + " mismatches, e.g. " + mismatches.getFirst()));
        app.close();
    }

    private static long commits(JdbcClient jdbc) {
        return jdbc.sql("select xact_commit from pg_stat_database where datname = current_database()")
                .query(Long.class).single();
    }

    /** The postmaster: the parent of this connection's backend. */
    static long postmasterPid(DataSource dataSource) {
        long backend = JdbcClient.create(dataSource).sql("select pg_backend_pid()").query(Long.class).single();
        try {
            String stat = Files.readString(Path.of("/proc/" + backend + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (Exception e) {
            return backend;
        }
    }
}
