package com.voiceledger.bench;

import com.voiceledger.rating.RatingJobs;
import com.voiceledger.ratecard.NewRateCardVersion;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateCardVersion;
import com.voiceledger.ratecard.RateEntry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A rate-card correction on a data set (issue #26): {@code -Dbench.mode=rerate -Dbench.calls=200000
 * [-Dbench.dataDir=...]}. The application starts on the data set (as {@code close} does; the benchmark runs the
 * jobs itself), then:
 * <ol>
 * <li><b>alone</b>: a correction from the first of the month (the platform's minute 1 % cheaper, every call
 * re-priced), nothing else running; the job's rate (calls/s) and time;</li>
 * <li><b>ingest alone</b> at {@code bench.ingestRate} for {@code bench.baselineSeconds} (30): the baseline this
 * machine gives at this moment;</li>
 * <li><b>beside ingest</b>: the same correction again while end-of-call reports arrive over HTTP at
 * {@code bench.ingestRate}/s (default 400: about half of the maximum measured on this machine, 726–846/s in
 * docs/performance.md) for the data set's customers; ingest's p50/p95/p99/max, requests over 2 s, non-2xx, and the
 * job's rate over the same time, side by side.</li>
 * </ol>
 * {@code bench.jobSeconds} (default 600) stops waiting for a job (a slow one's rate is then its calls so far over
 * that time). The load average is printed beside each figure: the machine is shared.
 */
final class RerateBenchmark {

    private RerateBenchmark() {
    }

    private static long postmaster;

    static void run() throws Exception {
        long calls = Long.getLong("bench.calls", 200_000);
        int ingestRate = Integer.getInteger("bench.ingestRate", 400);
        int jobSeconds = Integer.getInteger("bench.jobSeconds", 600);
        int concurrency = Integer.getInteger("bench.concurrency", 64);
        int port = Integer.getInteger("bench.port", 18480);
        ConfigurableApplicationContext app = BenchApp.start(BenchApp.dataDir(calls), false, port);
        try {
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            RateCardService rateCard = app.getBean(RateCardService.class);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            Instant monthStart = today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            long inMonth = jdbc.sql("select count(*) from usage_call where call_time >= :from and customer_id is not null")
                    .param("from", java.sql.Timestamp.from(monthStart)).query(Long.class).single();
            System.out.printf(Locale.ROOT, "%n== VoiceLedger re-rating benchmark ==%ndata set      %s: %,d calls since %s%n",
                    BenchApp.dataDir(calls), inMonth, monthStart);

            String loadBefore = BenchApp.load();
            RatingJobs jobs = app.getBean(RatingJobs.class);
            postmaster = IngestServer.postmasterPid(app.getBean(javax.sql.DataSource.class));
            if (!Boolean.getBoolean("bench.skipAlone")) {
                JobFigures alone = correctAndWait(jdbc, rateCard, jobs, monthStart, "0.99", jobSeconds, null);
                System.out.printf(Locale.ROOT, "alone         job %s; load %s -> %s%n", alone, loadBefore,
                        BenchApp.load());
            }

            List<String> customers = jdbc.sql("""
                    select c.external_id from customer c
                    where exists (select 1 from usage_call u where u.customer_id = c.id and u.call_time >= :from)
                    order by c.id""").param("from", java.sql.Timestamp.from(monthStart)).query(String.class).list();
            // ingest alone first, at the same rate, as the baseline the machine gives now
            Ingest baseline = new Ingest(port, customers, ingestRate, concurrency);
            loadBefore = BenchApp.load();
            baseline.start();
            Thread.sleep(5_000);
            baseline.mark();
            Thread.sleep(TimeUnit.SECONDS.toMillis(Integer.getInteger("bench.baselineSeconds", 30)));
            baseline.stop();
            System.out.printf(Locale.ROOT, "ingest alone  %s; load %s -> %s%n", baseline.summary(), loadBefore,
                    BenchApp.load());
            Ingest ingest = new Ingest(port, customers, ingestRate, concurrency);
            loadBefore = BenchApp.load();
            JobFigures beside = correctAndWait(jdbc, rateCard, jobs, monthStart, "0.98", jobSeconds, ingest);
            System.out.printf(Locale.ROOT, "beside ingest job %s; ingest %s; load %s -> %s%n", beside, ingest.summary(),
                    loadBefore, BenchApp.load());
            Thread.sleep(3_000); // the last deliveries' commits
            List<String> mismatches = app.getBean(com.voiceledger.rating.internal.RatingStore.class).rollupMismatches();
            System.out.printf(Locale.ROOT, "rollups       %d rows disagree with the charges%s%n", mismatches.size(),
                    mismatches.isEmpty() ? "" : ": " + mismatches.subList(0, Math.min(5, mismatches.size())));
        } finally {
            app.close();
        }
    }

    /**
     * A job's figures: calls re-rated, seconds, calls/s, whether it finished, and the CPU seconds the application's
     * JVM and PostgreSQL used meanwhile (with ingest beside it, ingest's too): on a shared machine calls per CPU
     * second moves less with the other work than calls per second.
     */
    record JobFigures(long done, long total, double seconds, boolean finished, double jvmCpu, double postgresCpu) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d of %,d calls in %.1f s = %,.0f calls/s%s; CPU s: JVM %.1f, "
                            + "PostgreSQL %.1f (%,.0f calls per CPU second)", done, total, seconds,
                    done / Math.max(seconds, 1e-3), finished ? "" : " (not finished: stopped waiting)", jvmCpu,
                    postgresCpu, done / Math.max(jvmCpu + postgresCpu, 1e-3));
        }
    }

    /**
     * Publishes the current card with the platform's prices times {@code factor} from the month's start, then waits
     * for its job (the application's scheduler runs it), with ingest running meanwhile when given.
     */
    private static JobFigures correctAndWait(JdbcClient jdbc, RateCardService rateCard, RatingJobs jobs,
            Instant monthStart, String factor, int jobSeconds, Ingest ingest) throws Exception {
        RateCardVersion latest = rateCard.versions().getLast();
        List<RateEntry> entries = latest.entries().stream().map(e -> e.layer().equals("platform")
                ? new RateEntry(e.layer(), e.provider(), e.model(), e.unit(),
                        e.unitPrice().multiply(new BigDecimal(factor)).setScale(RateEntry.MAX_DECIMALS,
                                java.math.RoundingMode.HALF_UP).stripTrailingZeros())
                : e).toList();
        if (ingest != null) {
            ingest.start();
            Thread.sleep(5_000); // ingest at its pace before the correction
        }
        RateCardVersion published = rateCard.publish(new NewRateCardVersion(monthStart, latest.currency(),
                "bench: correction x" + factor, entries), "bench");
        long id = jdbc.sql("select max(id) from rating_job where ratecard_version = :v").param("v", published.number())
                .query(Long.class).single();
        if (ingest != null) {
            ingest.mark();
        }
        IngestBenchmark.CpuSample cpuBefore = IngestBenchmark.CpuSample.of(ProcessHandle.current().pid(), postmaster);
        Thread runner = Thread.ofPlatform().name("bench-rating-job").start(jobs::runQueued);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(jobSeconds);
        Map<String, Object> row;
        while (true) {
            row = jdbc.sql("""
                    select status, done, total, extract(epoch from coalesce(finished_at, now()) - coalesce(started_at, now()))
                    from rating_job where id = :id""").param("id", id).query().singleRow();
            String status = (String) row.get("status");
            if (status.equals("DONE") || status.equals("FAILED") || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(250);
        }
        IngestBenchmark.CpuSample cpuAfter = IngestBenchmark.CpuSample.of(ProcessHandle.current().pid(), postmaster);
        if (ingest != null) {
            ingest.stop();
        }
        if (!row.get("status").equals("DONE")) {
            // stopped waiting: the job's lease goes to nobody (its runner stops at its next transaction) and it is
            // marked failed, so that no runner claims it again
            jdbc.sql("""
                    update rating_job set lease_owner = 'bench-stopped', status = 'FAILED', error = 'stopped by the benchmark'
                    where id = :id""").param("id", id).update();
        }
        runner.join(60_000);
        Object[] values = row.values().toArray();
        return new JobFigures(((Number) values[1]).longValue(), ((Number) values[2]).longValue(),
                ((Number) values[3]).doubleValue(), values[0].equals("DONE"), cpuAfter.jvm() - cpuBefore.jvm(),
                cpuAfter.postgres() - cpuBefore.postgres());
    }

    /** End-of-call reports at a steady rate for the data set's customers, today, over HTTP. */
    static final class Ingest {

        private final int port;
        private final List<String> customers;
        private final int rate;
        private final Semaphore inFlight;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean();
        private final String template;
        private volatile long markedNanos;
        private Thread sender;
        private double seconds;

        Ingest(int port, List<String> customers, int rate, int concurrency) throws Exception {
            this.port = port;
            this.customers = customers;
            this.rate = rate;
            this.inFlight = new Semaphore(concurrency);
            this.template = Files.readString(Path.of("src/test/resources/samples/vapi-end-of-call-report.json"));
        }

        void start() {
            running.set(true);
            sender = Thread.ofPlatform().start(this::send);
        }

        /** From now on latencies count (the correction has been published). */
        void mark() {
            latencies.clear();
            refused.set(0);
            failed.set(0);
            markedNanos = System.nanoTime();
        }

        void stop() throws InterruptedException {
            seconds = (System.nanoTime() - markedNanos) / 1e9;
            running.set(false);
            sender.join();
        }

        private void send() {
            Random random = new Random(26);
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (long i = 0; running.get(); i++) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String callId = UUID.randomUUID().toString();
                    String body = template.replace("3f2b8c1e-6a4d-4f0e-9b1a-7c5d2e8f9a01", callId)
                            .replace("acme-health", customers.get(random.nextInt(customers.size())))
                            .replace("CA9f1e2d3c4b5a69788796a5b4c3d2e1f0", "CA" + callId.replace("-", ""))
                            .replace("2026-11-03T", today + "T");
                    inFlight.acquire();
                    pool.submit(() -> {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/webhooks/vapi"))
                                    .header("X-Vapi-Secret", "bench-secret").header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            latencies.add(System.nanoTime() - sent);
                            if (response.statusCode() / 100 != 2) {
                                refused.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        } finally {
                            inFlight.release();
                        }
                        return null;
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String summary() {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long over2s = sorted.stream().filter(nanos -> nanos > 2_000_000_000L).count();
            return String.format(Locale.ROOT,
                    "%d/s asked, %,d answered in %.1f s = %.0f/s, p50 %.1f p95 %.1f p99 %.1f max %.1f ms, over 2 s %d, "
                            + "non-2xx %d, no answer %d",
                    rate, sorted.size(), seconds, sorted.size() / Math.max(seconds, 1e-3), BenchApp.pct(sorted, 50),
                    BenchApp.pct(sorted, 95), BenchApp.pct(sorted, 99), BenchApp.pct(sorted, 100), over2s,
                    refused.get(), failed.get());
        }
    }
}
