package com.voiceledger.bench;

import com.voiceledger.VoiceLedgerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts VoiceLedger for a benchmark: on a data directory that is kept (the big data sets) or a fresh
 * temporary one, with the background schedulers held back so that a measurement times only what it
 * asks for. Loopback only.
 */
final class BenchApp {

    private BenchApp() {
    }

    /** Where a data set of this many calls lives, unless {@code -Dbench.dataDir} says otherwise. */
    static Path dataDir(long calls) {
        String configured = System.getProperty("bench.dataDir");
        return Path.of(configured != null ? configured : "/work/bench-data/calls-" + calls);
    }

    static ConfigurableApplicationContext start(Path dataDir, boolean clean, int port, String... extra) throws Exception {
        Files.createDirectories(dataDir);
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--voiceledger.data-dir=" + dataDir,
                "--voiceledger.embedded.clean-data-directory=" + clean, "--voiceledger.demo-data=false",
                "--voiceledger.vapi.secret=bench-secret", "--voiceledger.admin-api-token=bench-admin-5d1c7e9a3f0b2468ace13579bdf02468", "--voiceledger.rate-limit.webhooks.per-minute=0", "--voiceledger.rate-limit.api.per-credential-per-minute=0", "--voiceledger.rate-limit.api.per-customer-per-minute=0",
                "--logging.level.root=warn", "--spring.main.banner-mode=off", "--vaadin.launch-browser=false",
                // background work would disturb the figures: jobs and closes run when the benchmark asks. The
                // issuing job too: left on, it drafted and finalized invoices of the months already ended while the
                // generator was still loading their calls (the 10M set's partial October, docs/performance.md)
                "--voiceledger.rating.job-poll-start=1h", "--voiceledger.billing.run-poll-start=1h",
                "--voiceledger.billing.issuing-poll-start=1h",
                "--voiceledger.stripe.push-poll-start=1h", "--voiceledger.alerts.delivery-poll-start=1h"));
        args.addAll(List.of(extra));
        return SpringApplication.run(VoiceLedgerApplication.class, args.toArray(String[]::new));
    }

    static long rssKilobytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static double pct(List<Long> sorted, double percentile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
