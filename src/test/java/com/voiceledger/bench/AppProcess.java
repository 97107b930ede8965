package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The application in a JVM of its own, as the crash tests kill it: this test run's classpath, the test
 * profile, a free port, its output in {@code target/<log>.log}; started means its health answers 200.
 */
record AppProcess(Process process, int port) {

    static AppProcess start(String log, List<String> arguments) throws Exception {
        return start(log, System.getProperty("java.class.path"), arguments);
    }

    /** The application from another build's classpath (a previous release, {@link PreviousRelease}). */
    static AppProcess start(String log, String classpath, List<String> arguments) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, "com.voiceledger.VoiceLedgerApplication",
                "--server.port=" + port, "--spring.profiles.active=test"));
        command.addAll(arguments);
        Path logFile = Path.of("target", log + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .directory(new File(".")).start();
        AppProcess app = new AppProcess(process, port);
        app.awaitHealthy(logFile);
        return app;
    }

    /** SIGTERM: the application shuts down gracefully (drains its writers), as a rolling upgrade stops it. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** kill -9: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    private void awaitHealthy(Path log) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the application exited; see " + log).isTrue();
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new AssertionError("the application did not start within 240 s; see " + log);
    }
}
