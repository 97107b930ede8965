package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.bench.WebhookSender.Outcome;
import com.voiceledger.support.Samples;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

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

    @Test
    void theAppKilledWithKill9StartsAgainOnItsEmbeddedDatabaseAndKeepsEveryAcknowledgedReport() throws Exception {
        stopServerOf(PG_DIR);
        deleteRecursively(DATA_DIR);
        Samples samples = Samples.fresh();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        AppProcess first = start(1);
        AppProcess second = null;
        try {
            // kill -9 of the application: no shutdown hook runs, its PostgreSQL is left running
            List<Outcome> outcomes = WebhookSender.sendAndKill(client, first, samples, ACKNOWLEDGED_BEFORE_KILL);
            List<Outcome> acknowledged = outcomes.stream().filter(Outcome::acknowledged).toList();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
            assertThat(postmasterPid(PG_DIR).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive))
                    .as("the killed application's PostgreSQL is still running (the case to handle)").isPresent();

            second = start(2);
            int port = postgresPort(PG_DIR);
            JdbcClient db = JdbcClient.create(new SimpleDriverDataSource(new org.postgresql.Driver(),
                    "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", ""));
            for (Outcome outcome : acknowledged) {
                assertThat(WebhookSender.rows(db, outcome.delivery().callId())).as(outcome.delivery().callId())
                        .isEqualTo(WebhookSender.STORED);
            }
            System.out.printf("embedded crash safety: %d reports sent, %d acknowledged before the kill, all present "
                    + "after the restart%n", outcomes.size(), acknowledged.size());
        } finally {
            first.kill();
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

    /** The application on the embedded default in {@link #DATA_DIR}, kept across the restart. */
    private static AppProcess start(int run) throws Exception {
        return AppProcess.start("embedded-crash-app-" + run, List.of("--voiceledger.data-dir=" + DATA_DIR,
                "--voiceledger.embedded.clean-data-directory=false", "--voiceledger.embedded.pool-size=8"));
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
