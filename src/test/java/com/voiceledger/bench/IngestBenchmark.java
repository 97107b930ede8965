package com.voiceledger.bench;

import com.voiceledger.VoiceLedgerApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load generator for the ingest path: starts VoiceLedger on a fresh embedded PostgreSQL, then sends
 * validly authenticated end-of-call reports over HTTP at a target rate with bounded concurrency (a
 * share of them duplicated and shuffled), and prints throughput, latency percentiles, errors, the lag
 * from a 2xx to the call being visible in the customer API, and the server's RSS. Loopback only;
 * bounded in time and count. Run: {@code ./mvnw -Pbench verify -Dbench.rate=500 -Dbench.seconds=30}; with
 * {@code -Dbench.url} it loads a server running in its own process ({@link IngestServer},
 * {@code bench/ingest-apart.sh}) and reports that process's RSS and the CPU split. Also the entry point of
 * the other benchmarks ({@code -Dbench.mode=generate|dashboard|close|server|admission}); see docs/performance.md.
 */
public final class IngestBenchmark {

    public static void main(String[] args) throws Exception {
        switch (System.getProperty("bench.mode", "ingest")) {
            case "generate" -> DataGenerator.run();
            case "dashboard" -> ReadBenchmark.dashboard();
            case "close" -> ReadBenchmark.close();
            case "ingest" -> ingest();
            case "server" -> IngestServer.run();
            case "limit" -> PhysicalLimit.run();
            case "rerate" -> RerateBenchmark.run();
            case "admission" -> AdmissionBenchmark.run();
            default -> throw new IllegalArgumentException(
                    "bench.mode: ingest, generate, dashboard, close, server, limit, rerate or admission");
        }
        System.exit(0);
    }

    private static void ingest() throws Exception {
        int rate = Integer.getInteger("bench.rate", 300);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int concurrency = Integer.getInteger("bench.concurrency", 64);
        double duplicates = Double.parseDouble(System.getProperty("bench.duplicates", "0.05"));
        int customers = Integer.getInteger("bench.customers", 50);
        String template = Files.readString(Path.of("src/test/resources/samples/vapi-end-of-call-report.json"));

        // -Dbench.url: the server runs in its own process (bench.mode=server), so RSS and CPU are its own
        String url = System.getProperty("bench.url");
        ConfigurableApplicationContext app = null;
        long serverPid;
        long postmasterPid;
        String base;
        if (url == null) {
            Path dataDir = Files.createTempDirectory("voiceledger-bench");
            app = SpringApplication.run(VoiceLedgerApplication.class,
                    "--server.port=0", "--voiceledger.data-dir=" + dataDir, "--voiceledger.embedded.clean-data-directory=true",
                    "--voiceledger.demo-data=false", "--voiceledger.vapi.secret=bench-secret",
                    "--voiceledger.admin-api-token=bench-admin-5d1c7e9a3f0b2468ace13579bdf02468", "--voiceledger.rate-limit.webhooks.per-minute=0", "--voiceledger.rate-limit.api.per-credential-per-minute=0", "--voiceledger.rate-limit.api.per-customer-per-minute=0", "--logging.level.root=warn", "--spring.main.banner-mode=off",
                    "--vaadin.launch-browser=false");
            base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            serverPid = ProcessHandle.current().pid();
            postmasterPid = IngestServer.postmasterPid(app.getBean(javax.sql.DataSource.class));
        } else {
            base = url;
            String[] pids = Files.readString(Path.of(System.getProperty("bench.pidFile", "target/bench-server.pid")))
                    .strip().split(" ");
            serverPid = Long.parseLong(pids[0]);
            postmasterPid = Long.parseLong(pids[1]);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int c = 0; c < customers; c++) {
            send(http, HttpRequest.newBuilder(URI.create(base + "/api/admin/v1/customers"))
                    .header("Authorization", "Bearer bench-admin-5d1c7e9a3f0b2468ace13579bdf02468").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"externalId\":\"bench-" + c + "\",\"name\":\"Bench " + c + "\"}"))
                    .build());
        }
        String key = send(http, HttpRequest.newBuilder(URI.create(base + "/api/admin/v1/customers/bench-0/api-keys"))
                .header("Authorization", "Bearer bench-admin-5d1c7e9a3f0b2468ace13579bdf02468").POST(HttpRequest.BodyPublishers.noBody()).build())
                .replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");

        Random random = new Random(42);
        int total = rate * seconds;
        List<String[]> bodies = new ArrayList<>(total);
        LocalDate today = LocalDate.now();
        for (int i = 0; i < total; i++) {
            String callId = UUID.randomUUID().toString();
            String body = template.replace("3f2b8c1e-6a4d-4f0e-9b1a-7c5d2e8f9a01", callId)
                    .replace("acme-health", "bench-" + random.nextInt(customers))
                    .replace("CA9f1e2d3c4b5a69788796a5b4c3d2e1f0", "CA" + callId.replace("-", ""))
                    .replace("2026-11-03T", today + "T");
            bodies.add(new String[] {callId, body});
            if (random.nextDouble() < duplicates) {
                bodies.add(new String[] {callId, body});
            }
        }
        Collections.shuffle(bodies.subList(0, Math.min(bodies.size(), 200)), random);

        if (url != null && System.getProperty("bench.stopFile") != null) {
            Files.writeString(Path.of(System.getProperty("bench.stopFile") + ".start"), "start");
            Thread.sleep(500);
        }
        CpuSample before = CpuSample.of(serverPid, postmasterPid);
        AtomicLong maxRss = new AtomicLong();
        AtomicLong maxPgRss = new AtomicLong();
        Thread rssSampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(BenchApp.rssKilobytes(serverPid), Math::max);
                maxPgRss.accumulateAndGet(CpuSample.postgres(postmasterPid).stream().mapToLong(BenchApp::rssKilobytes)
                        .sum(), Math::max);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        String loadBefore = BenchApp.load();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong lastOk = new AtomicLong();
        Semaphore inFlight = new Semaphore(concurrency);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        for (int i = 0; i < bodies.size(); i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String[] call = bodies.get(i);
            inFlight.acquire();
            pool.submit(() -> {
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/webhooks/vapi"))
                            .header("X-Vapi-Secret", "bench-secret").header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(20))
                            .POST(HttpRequest.BodyPublishers.ofString(call[1])).build(), HttpResponse.BodyHandlers.ofString());
                    latencies.add(System.nanoTime() - sent);
                    if (response.statusCode() / 100 != 2) {
                        errors.incrementAndGet();
                    } else {
                        lastOk.set(System.nanoTime());
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    inFlight.release();
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        double elapsed = (System.nanoTime() - start) / 1e9;
        CpuSample after = CpuSample.of(serverPid, postmasterPid);
        String loadAfter = BenchApp.load();
        rssSampler.interrupt();

        // event → visible: a fresh call for bench-0, then poll the customer API until it is there
        String probeId = UUID.randomUUID().toString();
        String probe = template.replace("3f2b8c1e-6a4d-4f0e-9b1a-7c5d2e8f9a01", probeId).replace("acme-health", "bench-0")
                .replace("2026-11-03T", today + "T");
        send(http, HttpRequest.newBuilder(URI.create(base + "/webhooks/vapi")).header("X-Vapi-Secret", "bench-secret")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(probe)).build());
        long acknowledged = System.nanoTime();
        long visibleNanos = -1;
        while (System.nanoTime() - acknowledged < 5_000_000_000L) {
            HttpResponse<String> seen = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/calls/" + probeId))
                    .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (seen.statusCode() == 200 && seen.body().contains("\"charge\"")) {
                visibleNanos = System.nanoTime() - acknowledged;
                break;
            }
        }

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long rss = maxRss.get();
        System.out.println();
        System.out.println("== VoiceLedger ingest benchmark ==");
        System.out.printf(Locale.ROOT, "target            %d/s for %d s, concurrency %d, %.0f %% duplicates, %d customers%n",
                rate, seconds, concurrency, duplicates * 100, customers);
        System.out.printf(Locale.ROOT, "sent              %d requests in %.1f s = %.0f/s%n", sorted.size(), elapsed,
                sorted.size() / elapsed);
        System.out.printf(Locale.ROOT, "errors            %d%n", errors.get());
        System.out.printf(Locale.ROOT, "latency ms        p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n", pct(sorted, 50),
                pct(sorted, 95), pct(sorted, 99), pct(sorted, 100));
        System.out.printf(Locale.ROOT, "2xx → visible     %s%n", visibleNanos < 0 ? "not within 5 s"
                : String.format(Locale.ROOT, "%.1f ms (rated, in the customer API)", visibleNanos / 1e6));
        System.out.printf(Locale.ROOT, "server RSS max    %s%n", rss <= 0 ? "unknown" : (rss / 1024) + " MiB ("
                + (app == null ? "server JVM alone, its own process" : "JVM shared with the load generator") + ")");
        System.out.printf(Locale.ROOT, "PostgreSQL RSS    %d MiB summed over its processes (shared buffers counted more than once)%n",
                maxPgRss.get() / 1024);
        System.out.printf(Locale.ROOT, "CPU seconds       server JVM %.1f, PostgreSQL %.1f, load generator %.1f of %.1f available (2 cores x %.1f s)%n",
                after.jvm() - before.jvm(), after.postgres() - before.postgres(), after.self() - before.self(),
                2 * elapsed, elapsed);
        System.out.printf(Locale.ROOT, "load              before %s, after %s%n", loadBefore, loadAfter);
        if (app != null) {
            app.close();
        } else if (System.getProperty("bench.stopFile") != null) {
            Files.writeString(Path.of(System.getProperty("bench.stopFile")), "stop");
        }
    }

    /** CPU time (s) of the server JVM, of its child processes (the embedded PostgreSQL) and of this process. */
    record CpuSample(double jvm, double postgres, double self) {

        static CpuSample of(long serverPid, long postmasterPid) {
            double jvm = ticks(serverPid);
            double postgres = postgres(postmasterPid).stream().mapToDouble(CpuSample::ticks).sum();
            double self = ticks(ProcessHandle.current().pid());
            return new CpuSample(jvm, postgres, serverPid == ProcessHandle.current().pid() ? 0 : self);
        }

        /** The postmaster and its backends (pg_ctl detaches the postmaster from the JVM that started it). */
        static List<Long> postgres(long postmasterPid) {
            List<Long> pids = new ArrayList<>(List.of(postmasterPid));
            ProcessHandle.of(postmasterPid).ifPresent(p -> p.descendants().forEach(child -> pids.add(child.pid())));
            return pids;
        }

        /** utime + stime in seconds (100 ticks a second on Linux). */
        static double ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (Exception e) {
                return 0;
            }
        }
    }

    private static String send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    private static double pct(List<Long> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }


}
