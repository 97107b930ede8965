package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.Samples;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The embedded default survives {@code kill -9}: the application runs as a JVM of its own on the embedded
 * PostgreSQL (no datasource URL, its own data directory), takes reports from four senders, and is killed
 * — the application, not its database, which keeps running as an orphan holding the directory. Started
 * again on the same directory it must come up by itself (the left-over server stopped cleanly) and hold
 * every report it acknowledged. Before the fix the second start gave up waiting for its server.
 */
@Tag("crash")
class EmbeddedCrashSafetyIT {

    static final int ACKNOWLEDGED_BEFORE_KILL = 40;
    static final Path DATA_DIR = Path.of("target", "embedded-crash-data").toAbsolutePath();
    static final Path PG_DIR = DATA_DIR.resolve("postgres");

    record Delivery(String callId, String body) {
    }

    record Outcome(Delivery delivery, int status) {
    }

    @Test
    void theAppKilledWithKill9StartsAgainOnItsEmbeddedDatabaseAndKeepsEveryAcknowledgedReport() throws Exception {
        stopServerOf(PG_DIR);
        deleteRecursively(DATA_DIR);
        Samples samples = Samples.fresh();
        String report = samples.text(Samples.EOCR);
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        App first = start(1);
        App second = null;
        try {
            AtomicBoolean sending = new AtomicBoolean(true);
            try (ExecutorService senders = Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 4; i++) {
                    senders.submit(() -> {
                        while (sending.get()) {
                            String callId = UUID.randomUUID().toString();
                            Delivery delivery = new Delivery(callId, report.replace(samples.id(Samples.MAIN_CALL_ID), callId));
                            outcomes.add(new Outcome(delivery, WebhookSender.post(client, first.port(), delivery.body())));
                        }
                        return null;
                    });
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (acknowledged(outcomes).size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                first.process().destroyForcibly(); // kill -9: no shutdown hook runs, PostgreSQL is left running
                first.process().waitFor();
                sending.set(false);
                senders.shutdown();
                assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            }
            List<Outcome> acknowledged = acknowledged(outcomes);
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
            assertThat(postmasterPid(PG_DIR).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive))
                    .as("the killed application's PostgreSQL is still running (the case to handle)").isPresent();

            second = start(2);
            int port = postgresPort(PG_DIR);
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "")) {
                for (Outcome outcome : acknowledged) {
                    assertThat(rows(db, outcome.delivery().callId())).as(outcome.delivery().callId())
                            .isEqualTo("1 call, 9 components");
                }
            }
            System.out.printf("embedded crash safety: %d reports sent, %d acknowledged before the kill, all present "
                    + "after the restart%n", outcomes.size(), acknowledged.size());
        } finally {
            first.process().destroyForcibly();
            if (second != null) {
                // a normal stop: the application's shutdown hook stops its PostgreSQL
                second.process().destroy();
                if (!second.process().waitFor(60, TimeUnit.SECONDS)) {
                    second.process().destroyForcibly();
                }
            }
            stopServerOf(PG_DIR);
        }
    }

    private static List<Outcome> acknowledged(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.status() == 200).toList();
    }

    private static String rows(Connection db, String callId) throws Exception {
        return count(db, "select count(*) from usage_call where id = ?", callId) + " call, "
                + count(db, "select count(*) from usage_call_component where call_id = ?", callId) + " components";
    }

    private static long count(Connection db, String sql, String id) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    record App(Process process, int port) {
    }

    /** The application in a JVM of its own on the embedded default in {@link #DATA_DIR}, ready for webhooks. */
    private static App start(int run) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "com.voiceledger.VoiceLedgerApplication",
                "--server.port=" + port, "--spring.profiles.active=test", "--voiceledger.data-dir=" + DATA_DIR,
                "--voiceledger.embedded.clean-data-directory=false", "--voiceledger.embedded.pool-size=8"));
        Path log = Path.of("target", "embedded-crash-app-" + run + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(".")).start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the application exited; see " + log).isTrue();
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return new App(process, port);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new AssertionError("the application did not start within 240 s; see " + log);
    }

    private static Optional<Long> postmasterPid(Path pgDir) throws IOException {
        Path pidFile = pgDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().strip()));
    }

    /** Line 4 of postmaster.pid: the port the server listens on. */
    private static int postgresPort(Path pgDir) throws IOException {
        return Integer.parseInt(Files.readAllLines(pgDir.resolve("postmaster.pid")).get(3).strip());
    }

    /** Leaves no server of this test behind (on a shared machine, nothing else may be running from it). */
    private static void stopServerOf(Path pgDir) throws Exception {
        Optional<ProcessHandle> server = postmasterPid(pgDir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        if (server.isPresent()) {
            new ProcessBuilder("kill", "-INT", Long.toString(server.get().pid())).start().waitFor();
            server.get().onExit().get(60, TimeUnit.SECONDS);
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
