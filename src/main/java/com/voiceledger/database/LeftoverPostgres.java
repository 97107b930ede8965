package com.voiceledger.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL left running from our data directory by an application that died without stopping it
 * ({@code kill -9}, OOM): the embedded server runs as processes of their own, so they outlive the JVM
 * and hold the directory, and the next start gives up ("Gave up waiting for server to start").
 *
 * <p>Before the embedded server starts, {@link #stop(Path)} reads {@code postmaster.pid}; when the pid in
 * it is a live {@code postgres} process serving this very directory, it is stopped cleanly
 * ({@code pg_ctl stop -m fast} from the binaries it runs from, else SIGINT, PostgreSQL's own "fast
 * shutdown") and the start goes on. A stale file (no such process, or another program under that pid
 * after a reboot) is left for PostgreSQL, which removes it itself. Decision 0030.
 */
final class LeftoverPostgres {

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostgres.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private LeftoverPostgres() {
    }

    /** Stops a server left running from {@code dataDirectory}; true when there was one. */
    static boolean stop(Path dataDirectory) {
        Optional<ProcessHandle> server = find(dataDirectory);
        if (server.isEmpty()) {
            return false;
        }
        ProcessHandle postmaster = server.get();
        log.warn("A PostgreSQL (pid {}) is still running from {} (the application before this one did not stop it); "
                + "stopping it with a fast shutdown", postmaster.pid(), dataDirectory);
        if (!pgCtlStop(postmaster, dataDirectory)) {
            signal(postmaster, "INT");
        }
        if (!waitForExit(postmaster, STOP_WAIT)) {
            log.warn("PostgreSQL pid {} did not stop within {}; terminating it", postmaster.pid(), STOP_WAIT);
            signal(postmaster, "QUIT");
            if (!waitForExit(postmaster, Duration.ofSeconds(10))) {
                throw new IllegalStateException("PostgreSQL pid " + postmaster.pid() + " still runs from "
                        + dataDirectory + " and could not be stopped; stop it and start again");
            }
        }
        log.info("Left-over PostgreSQL pid {} stopped", postmaster.pid());
        return true;
    }

    /** The live postmaster of {@code dataDirectory}, if {@code postmaster.pid} names one. */
    static Optional<ProcessHandle> find(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
        } catch (IOException e) {
            log.warn("Could not read {}", pidFile, e);
            return Optional.empty();
        }
        if (lines.size() < 2 || !lines.get(0).strip().matches("\\d+")) {
            return Optional.empty();
        }
        // line 2 is the data directory the postmaster serves: another directory is not ours to stop
        if (!samePath(Path.of(lines.get(1).strip()), dataDirectory)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(process -> executable(process).map(p -> p.getFileName().toString().equals("postgres"))
                        .orElse(false));
    }

    private static boolean pgCtlStop(ProcessHandle postmaster, Path dataDirectory) {
        Optional<Path> pgCtl = executable(postmaster).map(postgres -> postgres.resolveSibling("pg_ctl"))
                .filter(Files::isExecutable);
        if (pgCtl.isEmpty()) {
            return false;
        }
        try {
            Process stop = new ProcessBuilder(pgCtl.get().toString(), "stop", "-D", dataDirectory.toString(), "-m",
                    "fast", "-w", "-t", "60").redirectErrorStream(true).start();
            String output = new String(stop.getInputStream().readAllBytes());
            boolean stopped = stop.waitFor(70, TimeUnit.SECONDS) && stop.exitValue() == 0;
            if (!stopped) {
                log.warn("pg_ctl stop did not succeed: {}", output.strip());
            }
            return stopped;
        } catch (IOException e) {
            log.warn("Could not run {}", pgCtl.get(), e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void signal(ProcessHandle process, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static Optional<Path> executable(ProcessHandle process) {
        return process.info().command().map(Path::of);
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
