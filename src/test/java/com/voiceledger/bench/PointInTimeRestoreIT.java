package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.Http;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Backups that restore (issue #32, docs/operations.md "Backup" and "Restore"): PostgreSQL from Debian's server
 * binaries with WAL archiving on (archive_command copying each segment to a folder) runs the production-like
 * application; while webhooks flow, {@code pg_basebackup} takes a base backup; after more acknowledged deliveries
 * a named restore point is created ({@code pg_create_restore_point}), and ingest goes on. The base backup plus the
 * archived WAL is then recovered up to that point into a second data directory on another port, the application
 * starts on it, and every delivery acknowledged before the point is there in full, and none sent after it.
 * Runs in the {@code crash} profile ({@code ./mvnw -Pcrash verify}); a few minutes, two application starts.
 */
@Tag("crash")
class PointInTimeRestoreIT {

    /** Debian's PostgreSQL server binaries, the newest version installed (.ci/run installs them). */
    static final Path BIN = debianBinaries();
    static final String RESTORE_POINT = "before-the-mistake";

    @Test
    void aBaseBackupTakenUnderIngestRestoresToANamedPointWithEveryDeliveryAcknowledgedBeforeItAndNoneAfter()
            throws Exception {
        Path root = Files.createTempDirectory("voiceledger-pitr-");
        Path primary = root.resolve("primary");
        Path archive = root.resolve("wal-archive");
        Path backup = root.resolve("base-backup");
        Files.createDirectories(archive);
        asPostgresOwner(root);
        int primaryPort = freePort();
        int restoredPort = freePort();
        Samples samples = Samples.fresh();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Sent> sent = new CopyOnWriteArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        AppProcess app = null;
        AppProcess restoredApp = null;
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            pg("initdb", "-D", primary.toString(), "-U", "postgres", "-A", "trust", "--no-instructions");
            Files.writeString(primary.resolve("postgresql.conf"), """

                    # the supported backup: WAL archived to a folder (docs/operations.md)
                    port = %d
                    listen_addresses = '127.0.0.1'
                    unix_socket_directories = '%s'
                    wal_level = replica
                    archive_mode = on
                    archive_command = 'test ! -f %s/%%f && cp %%p %s/%%f'
                    max_wal_senders = 4
                    """.formatted(primaryPort, root, archive, archive), java.nio.file.StandardOpenOption.APPEND);
            pg("pg_ctl", "start", "-w", "-D", primary.toString(), "-l", root.resolve("primary.log").toString());
            JdbcClient primaryDb = jdbc(primaryPort);

            app = AppProcess.start("pitr-app-primary", appOn(primaryPort));
            Http http = new Http(app.port());
            Http.Response customer = http.post("/api/admin/v1/customers", "application/json",
                    "{\"externalId\":\"" + samples.id(Samples.ACME) + "\",\"name\":\"Acme\",\"currency\":\"USD\"}")
                    .bearer(TestFixtures.ADMIN_TOKEN).send();
            assertThat(customer.status()).as(customer.toString()).isIn(200, 201);

            String report = samples.text(Samples.EOCR);
            int port = app.port();
            for (int i = 0; i < 4; i++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        String callId = UUID.randomUUID().toString();
                        long start = System.nanoTime();
                        int status = WebhookSender.post(client, port, report.replace(samples.id(Samples.MAIN_CALL_ID), callId));
                        sent.add(new Sent(callId, start, System.nanoTime(), status));
                    }
                    return null;
                });
            }
            awaitAcknowledged(sent, 40);
            // the base backup, taken while deliveries flow (its WAL streamed along, so it is consistent by itself)
            pg("pg_basebackup", "-D", backup.toString(), "-h", "127.0.0.1", "-p", Integer.toString(primaryPort),
                    "-U", "postgres", "-X", "stream", "-c", "fast");
            int atBackup = acknowledged(sent).size();
            awaitAcknowledged(sent, atBackup + 60);

            // the point to restore to: everything answered 200 before it is committed before its WAL record
            long pointRequested = System.nanoTime();
            String lsn = primaryDb.sql("select pg_create_restore_point(:name)::text").param("name", RESTORE_POINT)
                    .query(String.class).single();
            long pointCreated = System.nanoTime();
            int atPoint = acknowledged(sent).size();
            awaitAcknowledged(sent, atPoint + 60);
            sending.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            // the segment holding the point and what came after it reach the archive
            String last = primaryDb.sql("select pg_walfile_name(pg_switch_wal())").query(String.class).single();
            awaitArchived(primaryDb, last);
            app.kill();
            app = null;
            pg("pg_ctl", "stop", "-w", "-m", "fast", "-D", primary.toString());

            List<Sent> before = sent.stream().filter(s -> s.status() == 200 && s.answered() < pointRequested).toList();
            List<Sent> after = sent.stream().filter(s -> s.started() > pointCreated).toList();
            assertThat(before).hasSizeGreaterThanOrEqualTo(100);
            assertThat(after.stream().filter(s -> s.status() == 200)).hasSizeGreaterThanOrEqualTo(60);

            // the restore: the base backup, the archive replayed up to the named point, then promoted
            Files.writeString(backup.resolve("postgresql.conf"), """

                    # restored from the base backup and the WAL archive (docs/operations.md "Restore")
                    port = %d
                    archive_mode = off
                    restore_command = 'cp %s/%%f %%p'
                    recovery_target_name = '%s'
                    recovery_target_action = 'promote'
                    """.formatted(restoredPort, archive, RESTORE_POINT), java.nio.file.StandardOpenOption.APPEND);
            Files.createFile(backup.resolve("recovery.signal"));
            asPostgresOwner(backup);
            pg("pg_ctl", "start", "-w", "-t", "120", "-D", backup.toString(), "-l", root.resolve("restored.log").toString());
            JdbcClient restoredDb = jdbc(restoredPort);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (restoredDb.sql("select pg_is_in_recovery()").query(Boolean.class).single()) {
                assertThat(System.nanoTime()).as("recovery did not end within 120 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(Files.readString(root.resolve("restored.log"))).contains("recovery stopping at restore point \""
                    + RESTORE_POINT + "\"");

            restoredApp = AppProcess.start("pitr-app-restored", appOn(restoredPort));
            for (Sent delivery : before) {
                assertThat(WebhookSender.rows(restoredDb, delivery.callId())).as("acknowledged before the point: "
                        + delivery.callId()).isEqualTo(WebhookSender.STORED);
            }
            for (Sent delivery : after) {
                assertThat(WebhookSender.rows(restoredDb, delivery.callId())).as("sent after the point: "
                        + delivery.callId()).isEqualTo("0 call, 0 components");
                assertThat(restoredDb.sql("select count(*) from ingestion_webhook_event where body like :id")
                        .param("id", "%" + delivery.callId() + "%").query(Long.class).single()).isZero();
            }
            // positive control: the restored store takes deliveries again, and holds them
            String callId = UUID.randomUUID().toString();
            assertThat(WebhookSender.post(client, restoredApp.port(),
                    report.replace(samples.id(Samples.MAIN_CALL_ID), callId))).isEqualTo(200);
            assertThat(WebhookSender.rows(restoredDb, callId)).isEqualTo(WebhookSender.STORED);
            System.out.printf("point-in-time restore: %d deliveries sent, base backup after %d acknowledged, restore"
                    + " point at %s after %d; restored: %d acknowledged before it present, %d sent after it absent%n",
                    sent.size(), atBackup, lsn, atPoint, before.size(), after.size());
        } finally {
            sending.set(false);
            senders.shutdownNow();
            if (app != null) {
                app.kill();
            }
            if (restoredApp != null) {
                restoredApp.kill();
            }
            stopQuietly(primary);
            stopQuietly(backup);
            deleteRecursively(root);
        }
    }

    record Sent(String callId, long started, long answered, int status) {
    }

    private static List<Sent> acknowledged(List<Sent> sent) {
        return sent.stream().filter(s -> s.status() == 200).toList();
    }

    private static void awaitAcknowledged(List<Sent> sent, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (acknowledged(sent).size() < count) {
            assertThat(System.nanoTime()).as(count + " deliveries acknowledged within 120 s").isLessThan(deadline);
            assertThat(sent.stream().filter(s -> s.status() != 200)).as("deliveries refused").isEmpty();
            Thread.sleep(20);
        }
    }

    private static void awaitArchived(JdbcClient db, String segment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String archived = db.sql("select coalesce(last_archived_wal, '') from pg_stat_archiver").query(String.class).single();
            if (archived.compareTo(segment) >= 0) {
                return;
            }
            assertThat(System.nanoTime()).as("segment " + segment + " archived within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The application as in production, on PostgreSQL at {@code port}. */
    private static List<String> appOn(int port) {
        return List.of("--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "--spring.datasource.username=postgres");
    }

    private static JdbcClient jdbc(int port) {
        return JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(),
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", ""));
    }

    /** PostgreSQL refuses to run as root: as root, its tools run as the postgres user the Debian package made. */
    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void asPostgresOwner(Path dir) throws Exception {
        if (root()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
    }

    private static void pg(String tool, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(BIN.resolve(tool).toString());
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static void stopQuietly(Path dataDir) {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            try {
                pg("pg_ctl", "stop", "-w", "-m", "immediate", "-D", dataDir.toString());
            } catch (Exception | AssertionError e) {
                System.err.println("could not stop PostgreSQL in " + dataDir + ": " + e);
            }
        }
    }

    private static Path debianBinaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(bin -> Files.isExecutable(bin.resolve("pg_basebackup")))
                    .max(Comparator.comparingInt(bin -> Integer.parseInt(bin.getParent().getFileName().toString())))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Debian's PostgreSQL server binaries are not installed (apt-get install "
                    + "postgresql; .ci/run does it): /usr/lib/postgresql/<version>/bin/pg_basebackup", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
