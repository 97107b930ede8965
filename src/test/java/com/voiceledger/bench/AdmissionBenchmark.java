package com.voiceledger.bench;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.security.ApiKeyService;
import com.voiceledger.spendcap.AssistantBudgets;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Admission under load (issue #29, {@code -Dbench.mode=admission}): VoiceLedger on a fresh embedded PostgreSQL
 * (durable, as the others), {@code bench.customers} customers whose contracts set every limit (calls at once,
 * per assistant, longest call, an allow-list) and whose "sales" assistant has a budget, {@code bench.slots}
 * open slots spread over them, then {@code POST /api/v1/admission} at {@code bench.rate}/s for
 * {@code bench.seconds} (after a warm-up of a sixth of that, not counted), open loop with bounded concurrency.
 * Prints latency percentiles, answers, the open slots before and after, the CPU split and the machine load; beside
 * it, the physical limit: the admission's own SQL (lock the customer's settings row, count its open slots, sum its
 * spend and its assistant's, take a slot, keep the hour's peak) run straight on the database, one transaction after
 * another, as fast as it goes. Run: {@code ./mvnw -Pbench verify -Dbench.mode=admission -Dbench.seconds=60}.
 */
final class AdmissionBenchmark {

    private static final String ADMIN = "bench-admin-5d1c7e9a3f0b2468ace13579bdf02468";

    private AdmissionBenchmark() {
    }

    static void run() throws Exception {
        int rate = Integer.getInteger("bench.rate", 200);
        int seconds = Integer.getInteger("bench.seconds", 60);
        int slots = Integer.getInteger("bench.slots", 10_000);
        int customers = Integer.getInteger("bench.customers", 100);
        int concurrency = Integer.getInteger("bench.concurrency", 64);
        Path dataDir = Files.createTempDirectory("voiceledger-admission-bench");
        ConfigurableApplicationContext app = BenchApp.start(dataDir, true, 0);
        try {
            String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            CustomerService customerService = app.getBean(CustomerService.class);
            ApiKeyService keys = app.getBean(ApiKeyService.class);
            AssistantBudgets budgets = app.getBean(AssistantBudgets.class);
            List<String> secrets = new ArrayList<>();
            int perCustomer = Math.max(1, slots / customers);
            for (int c = 0; c < customers; c++) {
                String id = "bench-adm-" + c;
                post(http, base + "/api/admin/v1/customers", "{\"externalId\":\"" + id + "\",\"name\":\"Admission "
                        + c + "\"}");
                // limits far enough above the open slots that admissions are admitted and every check runs
                post(http, base + "/api/admin/v1/customers/" + id + "/contracts", """
                        {"effectiveFrom": "2026-01-01T00:00:00Z", "pricingModel": "PER_MINUTE", "perMinuteRate": "0.10",
                         "reason": "admission benchmark", "limits": {"concurrentCalls": %d,
                         "concurrentCallsPerAssistant": %d, "maxCallSeconds": 3600,
                         "allowedModels": ["openai/*", "anthropic/*", "11labs/*", "deepgram/*"]}}
                        """.formatted(perCustomer * 10, perCustomer * 10));
                Customer customer = customerService.getByExternalId(id);
                budgets.set(customer, "sales", new BigDecimal("1000000"), null, "bench");
                secrets.add(keys.create(customer.id(), "bench").secret());
            }
            DataSource dataSource = app.getBean(DataSource.class);
            seedSlots(dataSource, perCustomer);

            Random random = new Random(29);
            int warmUp = Math.max(1, seconds / 6);
            load(http, base, secrets, random, rate, warmUp, concurrency, "warm");
            int openBefore = openSlots(dataSource);
            String loadBefore = BenchApp.load();
            IngestBenchmark.CpuSample before = IngestBenchmark.CpuSample.of(ProcessHandle.current().pid(),
                    IngestServer.postmasterPid(dataSource));
            long start = System.nanoTime();
            Result result = load(http, base, secrets, random, rate, seconds, concurrency, "run");
            double elapsed = (System.nanoTime() - start) / 1e9;
            IngestBenchmark.CpuSample after = IngestBenchmark.CpuSample.of(ProcessHandle.current().pid(),
                    IngestServer.postmasterPid(dataSource));
            String loadAfter = BenchApp.load();
            int openAfter = openSlots(dataSource);
            PhysicalResult limit = physicalLimit(dataSource, 5);

            List<Long> sorted = new ArrayList<>(result.latencies());
            Collections.sort(sorted);
            System.out.println();
            System.out.println("== VoiceLedger admission benchmark ==");
            System.out.printf(Locale.ROOT, "target            %d/s for %d s (after %d s warm-up), concurrency %d, %d customers%n",
                    rate, seconds, warmUp, concurrency, customers);
            System.out.printf(Locale.ROOT, "open slots        %d before, %d after (seeded %d per customer)%n", openBefore,
                    openAfter, perCustomer);
            System.out.printf(Locale.ROOT, "sent              %d admissions in %.1f s = %.0f/s%n", sorted.size(), elapsed,
                    sorted.size() / elapsed);
            System.out.printf(Locale.ROOT, "answers           %d admitted, %d refused, %d errors%n", result.admitted().get(),
                    result.refused().get(), result.errors().get());
            System.out.printf(Locale.ROOT, "latency ms        p50 %.1f  p95 %.1f  p99 %.1f  max %.1f (client, loopback HTTP)%n",
                    BenchApp.pct(sorted, 50), BenchApp.pct(sorted, 95), BenchApp.pct(sorted, 99), BenchApp.pct(sorted, 100));
            System.out.printf(Locale.ROOT, "CPU seconds       JVM (server and load generator) %.1f, PostgreSQL %.1f of %.1f available (2 cores x %.1f s)%n",
                    after.jvm() - before.jvm(), after.postgres() - before.postgres(), 2 * elapsed, elapsed);
            System.out.printf(Locale.ROOT, "physical limit    %.0f admissions/s, %.2f ms mean, p99 %.2f ms (the admission's SQL alone, one after another)%n",
                    limit.perSecond(), limit.meanMillis(), limit.p99Millis());
            System.out.printf(Locale.ROOT, "load              before %s, after %s%n", loadBefore, loadAfter);
        } finally {
            app.close();
        }
    }

    record Result(ConcurrentLinkedQueue<Long> latencies, AtomicInteger admitted, AtomicInteger refused,
            AtomicInteger errors) {
    }

    private static Result load(HttpClient http, String base, List<String> secrets, Random random, int rate, int seconds,
            int concurrency, String tag) throws Exception {
        Result result = new Result(new ConcurrentLinkedQueue<>(), new AtomicInteger(), new AtomicInteger(),
                new AtomicInteger());
        Semaphore inFlight = new Semaphore(concurrency);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String key = secrets.get(random.nextInt(secrets.size()));
            String assistant = random.nextInt(4) == 0 ? "sales" : "support-" + random.nextInt(5);
            String body = """
                    {"assistantId": "%s", "callId": "%s-%d-%d", "model": {"provider": "openai", "model": "gpt-4o"},
                     "voice": {"provider": "11labs", "model": "eleven_flash_v2_5"},
                     "transcriber": {"provider": "deepgram", "model": "nova-3"}}
                    """.formatted(assistant, tag, i, random.nextInt(1_000_000));
            inFlight.acquire();
            pool.submit(() -> {
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admission"))
                            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    result.latencies().add(System.nanoTime() - sent);
                    if (response.statusCode() != 200) {
                        result.errors().incrementAndGet();
                    } else if (response.body().contains("\"allowed\":true")) {
                        result.admitted().incrementAndGet();
                    } else {
                        result.refused().incrementAndGet();
                    }
                } catch (Exception e) {
                    result.errors().incrementAndGet();
                } finally {
                    inFlight.release();
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        return result;
    }

    /** Open slots that will not expire during the run: calls in progress that never report, as after a crash. */
    private static void seedSlots(DataSource dataSource, int perCustomer) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into spendcap_reservation (customer_id, call_id, amount, created_at, expires_at, assistant_id)
                        select c.id, 'seed-' || c.id || '-' || g, 0.50, now(), now() + interval '2 hours',
                            'support-' || (g % 5)
                        from customer c cross join generate_series(1, ?) g where c.external_id like 'bench-adm-%'
                        """)) {
            insert.setInt(1, perCustomer);
            insert.executeUpdate();
        }
    }

    private static int openSlots(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("""
                        select count(*) from spendcap_reservation
                        where released_at is null and ended_at is null and expires_at > now()
                        """);
                ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    record PhysicalResult(double perSecond, double meanMillis, double p99Millis) {
    }

    /**
     * The admission's statements in one transaction each, for the first customer, for {@code seconds}: what the
     * database alone needs per admission (no HTTP, no JSON, no API key lookup, no contract read); then the rows
     * taken are removed again.
     */
    private static PhysicalResult physicalLimit(DataSource dataSource, int seconds) throws Exception {
        List<Long> times = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long customer;
            try (PreparedStatement first = connection.prepareStatement(
                    "select id from customer where external_id = 'bench-adm-0'"); ResultSet rs = first.executeQuery()) {
                rs.next();
                customer = rs.getLong(1);
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int n = 0;
            while (System.nanoTime() < end) {
                long started = System.nanoTime();
                Timestamp now = Timestamp.from(Instant.now());
                try (PreparedStatement lock = connection.prepareStatement(
                        "select customer_id from spendcap_setting where customer_id = ? for update")) {
                    lock.setLong(1, customer);
                    lock.executeQuery().close();
                }
                try (PreparedStatement inUse = connection.prepareStatement("""
                        select count(*), count(*) filter (where assistant_id = 'sales'), coalesce(sum(amount), 0),
                            coalesce(sum(amount) filter (where assistant_id = 'sales'), 0)
                        from spendcap_reservation
                        where customer_id = ? and released_at is null and expires_at > ?
                        """)) {
                    inUse.setLong(1, customer);
                    inUse.setTimestamp(2, now);
                    inUse.executeQuery().close();
                }
                try (PreparedStatement take = connection.prepareStatement("""
                        insert into spendcap_reservation (customer_id, call_id, amount, created_at, expires_at, assistant_id)
                        values (?, ?, 0.50, ?, ?, 'sales')
                        """)) {
                    take.setLong(1, customer);
                    take.setString(2, "limit-" + n++);
                    take.setTimestamp(3, now);
                    take.setTimestamp(4, Timestamp.from(now.toInstant().plusSeconds(3600)));
                    take.executeUpdate();
                }
                try (PreparedStatement peak = connection.prepareStatement("""
                        insert into spendcap_concurrency_hour (customer_id, hour, peak)
                        select ?, date_trunc('hour', cast(? as timestamptz), 'UTC'), count(*) from spendcap_reservation
                        where customer_id = ? and released_at is null and ended_at is null and expires_at > ?
                        on conflict (customer_id, hour) do update
                            set peak = greatest(spendcap_concurrency_hour.peak, excluded.peak)
                        """)) {
                    peak.setLong(1, customer);
                    peak.setTimestamp(2, now);
                    peak.setLong(3, customer);
                    peak.setTimestamp(4, now);
                    peak.executeUpdate();
                }
                connection.commit();
                times.add(System.nanoTime() - started);
            }
            try (PreparedStatement clean = connection.prepareStatement(
                    "delete from spendcap_reservation where customer_id = ? and call_id like 'limit-%'")) {
                clean.setLong(1, customer);
                clean.executeUpdate();
            }
            connection.commit();
        }
        Collections.sort(times);
        double mean = times.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
        return new PhysicalResult(times.size() / (double) seconds, mean, BenchApp.pct(times, 99));
    }

    private static void post(HttpClient http, String url, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
