package com.voiceledger.bench;

import com.voiceledger.contract.Commitment;
import com.voiceledger.contract.CommitmentPeriod;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.customer.AttributionType;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.database.JsonbValues;
import com.voiceledger.ratecard.NewRateCardVersion;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateCardVersion;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.rating.CallToRate;
import com.voiceledger.rating.DurationBuckets;
import com.voiceledger.rating.RatedCall;
import com.voiceledger.rating.Rater;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.rating.internal.ProviderCosts;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.shared.Layer;
import com.voiceledger.usage.UsageComponent;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fills a kept embedded PostgreSQL with a large, realistic data set quickly: customers, their
 * attributions and contracts through the application's own services, then calls, their components and
 * status, their charges (priced by the real {@link Rater} against the real rate card and contracts) and
 * the daily rollups (charges and call statistics) that agree with those charges, all written with PostgreSQL {@code COPY}. The rows
 * have exactly the shape the ingest path writes (see {@code CallWriter} and {@code RatingStore}); left
 * out are the raw webhook bodies, transcripts and guard findings, which neither the dashboard nor the
 * month-end close reads.
 *
 * <p>{@code ./mvnw -Pbench verify -Dbench.mode=generate -Dbench.calls=1000000 -Dbench.customers=1000
 * -Dbench.months=3} writes to {@code /work/bench-data/calls-1000000} (or {@code -Dbench.dataDir}),
 * wiping it first. Calls are spread evenly over the months up to now; customers are skewed (a few
 * large ones), with one to five assistants each, and a mix of cost-plus, all-in per-minute and list
 * price contracts, some with commitments. See docs/decisions/0025-benchmark-data-sets.md.
 */
final class DataGenerator {

    private static final int CHUNK = 20_000;

    /** An assistant's stack: LLM and voice. */
    private record Stack(String llmProvider, String llmModel, BigDecimal promptPrice, BigDecimal completionPrice,
            boolean cached, String voiceProvider, String voiceModel, BigDecimal voicePrice) {
    }

    private static final List<Stack> STACKS = List.of(
            new Stack("openai", "gpt-4o", new BigDecimal("0.0000025"), new BigDecimal("0.00001"), true, "11labs",
                    "eleven_flash_v2_5", new BigDecimal("0.00005")),
            new Stack("openai", "gpt-4o-mini", new BigDecimal("0.00000015"), new BigDecimal("0.0000006"), true,
                    "cartesia", "sonic-2", new BigDecimal("0.000038")),
            new Stack("anthropic", "claude-sonnet-4", new BigDecimal("0.000003"), new BigDecimal("0.000015"), false,
                    "11labs", "eleven_multilingual_v2", new BigDecimal("0.0001")));

    private static final List<String> ZONES = List.of("UTC", "America/New_York", "Europe/Berlin", "America/Chicago",
            "America/Los_Angeles", "Europe/London");

    /** One generated customer with what pricing it needs. */
    private record Target(Customer customer, ZoneId zone, Contract contract, List<String> assistants,
            List<Stack> stacks) {
    }

    private DataGenerator() {
    }

    static void run() throws Exception {
        long calls = Long.getLong("bench.calls", 1_000_000);
        int customerCount = Integer.getInteger("bench.customers", 1000);
        int months = Integer.getInteger("bench.months", 3);
        Path dataDir = BenchApp.dataDir(calls);
        System.out.printf(Locale.ROOT, "generating %,d calls for %,d customers over %d months into %s (load %s)%n",
                calls, customerCount, months, dataDir, BenchApp.load());
        long started = System.nanoTime();
        // zonky's own "clean" also deletes the directory when the server stops: wipe it here instead, once
        Path postgres = dataDir.resolve("postgres");
        if (java.nio.file.Files.exists(postgres)) {
            try (var files = java.nio.file.Files.walk(postgres)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        ConfigurableApplicationContext app = BenchApp.start(dataDir, false, 0);
        try {
            generate(app, calls, customerCount, months);
        } finally {
            app.close();
        }
        System.out.printf(Locale.ROOT, "done in %.0f s (load %s)%n", (System.nanoTime() - started) / 1e9, BenchApp.load());
    }

    private static void generate(ConfigurableApplicationContext app, long calls, int customerCount, int months)
            throws Exception {
        CustomerService customers = app.getBean(CustomerService.class);
        ContractService contracts = app.getBean(ContractService.class);
        RateCardService rateCard = app.getBean(RateCardService.class);
        DataSource dataSource = app.getBean(DataSource.class);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // from a little after the first month began everywhere, to a few minutes ago
        Instant from = YearMonth.now(ZoneOffset.UTC).minusMonths(months - 1).atDay(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant().plus(Duration.ofHours(12));
        Instant to = now.minus(Duration.ofMinutes(5));
        Instant effective = from.minus(Duration.ofDays(2));

        long setupStarted = System.nanoTime();
        rateCard.publish(new NewRateCardVersion(effective, "USD", "Reference list prices (bench)", rateEntries()),
                "bench");
        Random random = new Random(8);
        List<Target> targets = new ArrayList<>();
        for (int c = 0; c < customerCount; c++) {
            String externalId = "bench-%04d".formatted(c);
            ZoneId zone = ZoneId.of(ZONES.get(c % ZONES.size()));
            Customer customer = customers.create(NewCustomer.parse(externalId, "Bench customer " + c, "USD", zone.getId()));
            List<String> assistants = new ArrayList<>();
            List<Stack> stacks = new ArrayList<>();
            for (int a = 0; a < 1 + c % 5; a++) {
                String assistant = "asst-%04d-%d".formatted(c, a);
                customers.addAttribution(customer.id(), AttributionType.ASSISTANT_ID, assistant);
                assistants.add(assistant);
                stacks.add(STACKS.get((c + a) % STACKS.size()));
            }
            ContractTerms terms = terms(c);
            if (terms != null) {
                contracts.add(customer, effective, null, terms, "bench contract", "bench");
            }
            targets.add(new Target(customer, zone, null, assistants, stacks));
        }
        app.getBean(RatingJobs.class).runQueued();
        contracts.refresh();
        rateCard.refresh();
        RateCardVersion version = rateCard.versionAt(from).orElseThrow();
        List<Target> priced = new ArrayList<>();
        for (Target target : targets) {
            priced.add(new Target(target.customer(), target.zone(),
                    contracts.contractAt(target.customer().id(), from).orElse(null), target.assistants(), target.stacks()));
        }
        System.out.printf(Locale.ROOT, "setup (rate card, customers, attributions, contracts) %.1f s%n",
                (System.nanoTime() - setupStarted) / 1e9);

        long copyStarted = System.nanoTime();
        try (Connection usageConnection = dataSource.getConnection();
                Connection ratingConnection = dataSource.getConnection()) {
            for (Connection connection : List.of(usageConnection, ratingConnection)) {
                try (var statement = connection.createStatement()) {
                    // bulk load: the rows are consistent by construction, so foreign keys are not re-checked row by row
                    statement.execute("set session_replication_role = replica");
                    statement.execute("set synchronous_commit = off");
                }
            }
            CopyManager usageCopy = usageConnection.unwrap(PGConnection.class).getCopyAPI();
            CopyManager ratingCopy = ratingConnection.unwrap(PGConnection.class).getCopyAPI();
            ExecutorService usageWriter = Executors.newSingleThreadExecutor();
            ExecutorService ratingWriter = Executors.newSingleThreadExecutor();
            List<Future<?>> pending = new ArrayList<>();
            Rollups rollups = new Rollups();
            long span = Duration.between(from, to).toMillis();
            long rollupRows = 0;
            for (long first = 0; first < calls; first += CHUNK) {
                long last = Math.min(calls, first + CHUNK);
                Chunk chunk = new Chunk();
                for (long i = first; i < last; i++) {
                    Instant callTime = from.plusMillis(span * i / calls);
                    Target target = priced.get(skewed(random, priced.size()));
                    call(chunk, rollups, random, target, version, i, callTime);
                }
                LocalDate done = LocalDate.ofInstant(from.plusMillis(span * last / calls), ZoneOffset.UTC).minusDays(1);
                String rollupRowsText = last == calls ? rollups.flushAll() : rollups.flushBefore(done);
                String statsRowsText = rollups.flushStatsBefore(last == calls ? LocalDate.MAX : done);
                rollupRows += rollups.flushed;
                rollups.flushed = 0;
                while (pending.size() > 4) {
                    pending.removeFirst().get();
                }
                pending.add(usageWriter.submit(() -> {
                    copy(usageCopy, "usage_call (id, customer_id, attribution_key, org_id, type, assistant_id, "
                            + "phone_number_id, squad_id, customer_number, twilio_call_sid, status, status_rank, call_time, "
                            + "created_at, started_at, ended_at, duration_seconds, ended_reason, provider_cost, currency, "
                            + "components, reported, first_seen_at, reported_at)", chunk.calls);
                    copy(usageCopy, "usage_call_status (call_id, status, occurred_at, ended_reason)", chunk.statuses);
                    return null;
                }));
                pending.add(ratingWriter.submit(() -> {
                    copy(ratingCopy, "rating_call (call_id, customer_id, call_time, day, duration_seconds, pricing_model, "
                            + "rate_version, contract_id, currency, charge, billable_seconds, minimum_top_up, unpriced, "
                            + "rate_source, rated_at, provider_cost, assistant_id, billable_epoch, components)",
                            chunk.ratedCalls);
                    copy(ratingCopy, "rating_rollup_daily (customer_id, day, layer, provider, model, unit, assistant_id, "
                            + "quantity, provider_cost, charge, calls)", new StringBuilder(rollupRowsText));
                    copy(ratingCopy, "rating_calls_daily (customer_id, day, assistant_id, duration_bucket, calls, "
                            + "duration_seconds, unpriced_calls)", new StringBuilder(statsRowsText));
                    return null;
                }));
                if ((last / CHUNK) % 25 == 0 || last == calls) {
                    double seconds = (System.nanoTime() - copyStarted) / 1e9;
                    System.out.printf(Locale.ROOT, "  %,d calls in %.0f s (%.0f calls/s), load %s%n", last, seconds,
                            last / seconds, BenchApp.load());
                }
            }
            for (Future<?> future : pending) {
                future.get();
            }
            usageWriter.shutdown();
            ratingWriter.shutdown();
            System.out.printf(Locale.ROOT, "COPY of %,d calls and %,d rollup rows: %.0f s%n", calls, rollupRows,
                    (System.nanoTime() - copyStarted) / 1e9);
        }
        long invoiceRollupStarted = System.nanoTime();
        // the invoice-line rollup, summed from the charges just loaded (as RollupMaintenance rebuilds it)
        app.getBean(RatingStore.class).rebuildInvoiceRollups();
        System.out.printf(Locale.ROOT, "invoice-line rollup: %.0f s%n", (System.nanoTime() - invoiceRollupStarted) / 1e9);
        long analyzeStarted = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            for (String table : List.of("usage_call", "usage_call_status", "rating_call", "rating_rollup_daily",
                    "rating_calls_daily", "rating_invoice_rollup")) {
                statement.execute("vacuum (analyze) " + table);
            }
        }
        System.out.printf(Locale.ROOT, "vacuum analyze: %.0f s%n", (System.nanoTime() - analyzeStarted) / 1e9);
        if (calls <= 2_000_000) {
            long checkStarted = System.nanoTime();
            List<String> mismatches = app.getBean(RatingQueries.class).rollupMismatches();
            System.out.printf(Locale.ROOT, "rollups against charges: %s (%.0f s)%n",
                    mismatches.isEmpty() ? "agree" : mismatches.size() + " mismatches, e.g. " + mismatches.getFirst(),
                    (System.nanoTime() - checkStarted) / 1e9);
        }
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement();
                var rs = statement.executeQuery("""
                        select relname, pg_size_pretty(pg_total_relation_size(oid)), pg_total_relation_size(oid)
                        from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace
                        order by 3 desc limit 8""")) {
            while (rs.next()) {
                System.out.printf(Locale.ROOT, "  %-28s %s%n", rs.getString(1), rs.getString(2));
            }
        }
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement();
                var rs = statement.executeQuery("select pg_size_pretty(pg_database_size(current_database()))")) {
            rs.next();
            System.out.println("database size " + rs.getString(1));
        }
    }

    /** Customer index skewed towards the first ones: density ∝ 1/√x, so a few customers are large. */
    private static int skewed(Random random, int count) {
        double u = random.nextDouble();
        return Math.min(count - 1, (int) (count * u * u));
    }

    private static ContractTerms terms(int c) {
        return switch (c % 10) {
            case 0, 2, 3, 4, 5 -> new ContractTerms(PricingModel.RATE_CARD,
                    Map.of("llm", new BigDecimal("20"), "platform", new BigDecimal("10")), List.of(), null, null, 60, null,
                    null, null, null);
            case 1 -> new ContractTerms(PricingModel.RATE_CARD, Map.of("llm", new BigDecimal("20")), List.of(), null, null,
                    60, null, new Commitment(new BigDecimal("500"), CommitmentPeriod.MONTH, false), null, null);
            case 6 -> new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal("0.10"),
                    new BigDecimal("0.25"), 60, new BigDecimal("1000"), null, null, null);
            case 7 -> new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal("0.12"),
                    new BigDecimal("0.25"), 60, new BigDecimal("500"),
                    new Commitment(new BigDecimal("2500"), CommitmentPeriod.QUARTER, false), new BigDecimal("1.2"), null);
            case 8 -> new ContractTerms(PricingModel.RATE_CARD, Map.of("llm", new BigDecimal("15"), "tts",
                    new BigDecimal("15"), "stt", new BigDecimal("15")), List.of(), null, null, 60, null,
                    new Commitment(new BigDecimal("300"), CommitmentPeriod.MONTH, true), null, null);
            default -> null; // list prices
        };
    }

    /** Rows of one chunk, per table, in COPY text format. */
    private static final class Chunk {
        final StringBuilder calls = new StringBuilder(1 << 23);
        final StringBuilder statuses = new StringBuilder(1 << 20);
        final StringBuilder ratedCalls = new StringBuilder(1 << 23);
    }

    private static void call(Chunk chunk, Rollups rollups, Random random, Target target, RateCardVersion version,
            long index, Instant callTime) {
        int a = random.nextInt(target.assistants().size());
        String assistant = target.assistants().get(a);
        Stack stack = target.stacks().get(a);
        String callId = callId(callTime, index);
        boolean answered = random.nextInt(100) >= 8;
        int seconds = answered ? (int) Math.min(1500, Math.max(8, Math.exp(4.6 + random.nextGaussian() * 0.7))) : 0;
        List<UsageComponent> components = answered ? components(random, stack, seconds) : List.of();
        BigDecimal providerCost = components.stream().map(UsageComponent::providerCost).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        Instant createdAt = callTime.minusSeconds(2);
        Instant endedAt = callTime.plusSeconds(seconds);
        Instant reportedAt = endedAt.plusSeconds(3);
        String endedReason = answered ? (random.nextBoolean() ? "customer-ended-call" : "assistant-ended-call")
                : "customer-did-not-answer";
        long customerId = target.customer().id().value();
        String sid = "CA" + callId.replace("-", "");
        row(chunk.calls, callId, customerId, target.customer().externalId(), "org-bench", "inboundPhoneCall", assistant,
                "pn-" + assistant, null, "+1415555" + (1000 + random.nextInt(9000)), sid, "ended", 6, callTime, createdAt,
                answered ? callTime : null, endedAt, seconds, endedReason, plain(providerCost), "USD",
                copyText(JsonbValues.array(components)), "t", reportedAt, reportedAt);
        row(chunk.statuses, callId, "ended", endedAt, endedReason);

        List<CallToRate.Component> toRate = new ArrayList<>();
        for (int seq = 0; seq < components.size(); seq++) {
            UsageComponent c = components.get(seq);
            toRate.add(new CallToRate.Component(seq, c.layer(), c.provider(), c.model(), c.unit(), c.quantity()));
        }
        RatedCall rated = Rater.rate(new CallToRate(callId, callTime, seconds, toRate), version, target.contract(),
                target.customer().currency());
        List<BigDecimal> costs = ProviderCosts.byCharge(components, rated);
        LocalDate day = callTime.atZone(target.zone()).toLocalDate();
        row(chunk.ratedCalls, callId, customerId, callTime, day, seconds, rated.pricingModel().name(), rated.rateVersion(),
                rated.contractId(), rated.currency(), plain(rated.charge()), rated.billableSeconds(),
                plain(rated.minimumTopUp()), rated.unpriced() ? "t" : "f", rated.rateSource(), reportedAt.plusMillis(40),
                plain(costs.stream().reduce(BigDecimal.ZERO, BigDecimal::add)), assistant,
                // billable before any close, unless unpriced (decision 0050)
                rated.unpriced() ? null : 0, copyText(RatingStore.componentsJson(rated, components, costs)));
        rollups.add(customerId, day, assistant, rated, components, costs);
        rollups.addCallStats(customerId, day, assistant, seconds, rated.unpriced());
    }

    /** Time-ordered ids (like UUIDv7) keep the primary keys' inserts at the right edge of the index. */
    private static String callId(Instant callTime, long index) {
        long millis = callTime.toEpochMilli();
        return String.format(Locale.ROOT, "%08x-%04x-7%03x-8%03x-%012x", millis >>> 16, millis & 0xffff,
                (index >>> 48) & 0xfff, (index >>> 36) & 0xfff, index & 0xffffffffffffL);
    }

    /** The components the ingest path would derive from the platform's costs[] of such a call. */
    private static List<UsageComponent> components(Random random, Stack stack, int seconds) {
        BigDecimal minutes = BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_EVEN);
        int turns = Math.max(1, seconds / 12);
        long prompt = 900L * turns + random.nextInt(4000);
        long cached = stack.cached() ? prompt / 3 : 0;
        long completion = 45L * turns + random.nextInt(200);
        long characters = 160L * turns + random.nextInt(300);
        List<UsageComponent> out = new ArrayList<>();
        out.add(new UsageComponent("transport", Layer.TELEPHONY, "twilio", UsageComponent.NO_MODEL, "minute", minutes,
                scale(minutes.multiply(new BigDecimal("0.0085")))));
        out.add(new UsageComponent("transcriber", Layer.STT, "deepgram", "nova-3", "minute", minutes,
                scale(minutes.multiply(new BigDecimal("0.0043")))));
        BigDecimal llmCost = stack.promptPrice().multiply(BigDecimal.valueOf(prompt - cached))
                .add(stack.promptPrice().multiply(BigDecimal.valueOf(cached)).divide(BigDecimal.TWO))
                .add(stack.completionPrice().multiply(BigDecimal.valueOf(completion)));
        List<String[]> llm = new ArrayList<>();
        llm.add(new String[] {"prompt_token", Long.toString(prompt - cached)});
        if (cached > 0) {
            llm.add(new String[] {"cached_prompt_token", Long.toString(cached)});
        }
        llm.add(new String[] {"completion_token", Long.toString(completion)});
        out.addAll(share("model", Layer.LLM, stack.llmProvider(), stack.llmModel(), llm, scale(llmCost)));
        out.add(new UsageComponent("voice", Layer.TTS, stack.voiceProvider(), stack.voiceModel(), "character",
                BigDecimal.valueOf(characters), scale(stack.voicePrice().multiply(BigDecimal.valueOf(characters)))));
        out.add(new UsageComponent("vapi", Layer.PLATFORM, "vapi", "normal", "minute", minutes,
                scale(minutes.multiply(new BigDecimal("0.05")))));
        return out;
    }

    /** One cost entry shared over its quantities, as {@code VapiCostMapper} does. */
    private static List<UsageComponent> share(String type, String layer, String provider, String model,
            List<String[]> quantities, BigDecimal cost) {
        BigDecimal total = quantities.stream().map(q -> new BigDecimal(q[1])).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<UsageComponent> out = new ArrayList<>();
        BigDecimal assigned = BigDecimal.ZERO;
        for (int i = 0; i < quantities.size(); i++) {
            BigDecimal amount = new BigDecimal(quantities.get(i)[1]);
            BigDecimal part = i == quantities.size() - 1 ? cost.subtract(assigned)
                    : cost.multiply(amount).divide(total, 10, RoundingMode.HALF_EVEN);
            assigned = assigned.add(part);
            out.add(new UsageComponent(type, layer, provider, model, quantities.get(i)[0], amount,
                    part.stripTrailingZeros()));
        }
        return out;
    }

    private static BigDecimal scale(BigDecimal cost) {
        return cost.setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    /** One COPY text row: tab-separated, {@code \N} for null. The values never hold tabs or backslashes. */
    private static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object value = values[i];
            out.append(value == null ? "\\N" : value instanceof Instant instant ? instant.toString() : value.toString());
        }
        out.append('\n');
    }

    /** A value as COPY's text format needs it: its backslashes doubled (JSON has no tabs or newlines). */
    private static String copyText(String value) {
        return value.replace("\\", "\\\\");
    }

    private static void copy(CopyManager copy, String table, StringBuilder rows) {
        if (rows.isEmpty()) {
            return;
        }
        try {
            copy.copyIn("copy " + table + " from stdin", new StringReader(rows.toString()));
        } catch (Exception e) {
            throw new IllegalStateException("COPY into " + table + " failed", e);
        }
    }

    /** Daily rollups kept exactly as {@code RatingStore.addToRollup} adds to them, flushed by finished day. */
    private static final class Rollups {
        private final TreeMap<LocalDate, Map<List<Object>, BigDecimal[]>> byDay = new TreeMap<>();
        private final TreeMap<LocalDate, Map<List<Object>, long[]>> statsByDay = new TreeMap<>();
        int flushed;

        void add(long customerId, LocalDate day, String assistant, RatedCall rated, List<UsageComponent> components,
                List<BigDecimal> costs) {
            Map<List<Object>, BigDecimal[]> rows = new LinkedHashMap<>();
            for (RatedCall.Component charge : rated.components()) {
                UsageComponent usage = components.get(charge.seq());
                BigDecimal[] sums = rows.computeIfAbsent(List.of(usage.layer(), usage.provider(), usage.model(),
                        usage.unit()), key -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                sums[0] = sums[0].add(usage.quantity());
                sums[1] = sums[1].add(costs.get(charge.seq()));
                sums[2] = sums[2].add(charge.charge());
            }
            if (rated.pricingModel() == PricingModel.PER_MINUTE && rated.billableSeconds() > 0) {
                rows.put(List.of(Layer.VOICE_MINUTES, "-", "-", "second"), new BigDecimal[] {
                        BigDecimal.valueOf(rated.billableSeconds()), BigDecimal.ZERO, rated.charge()});
            }
            Map<List<Object>, BigDecimal[]> day_ = byDay.computeIfAbsent(day, d -> new HashMap<>());
            rows.forEach((item, sums) -> {
                List<Object> key = List.of(customerId, item.get(0), item.get(1), item.get(2), item.get(3), assistant);
                BigDecimal[] total = day_.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO,
                        BigDecimal.ZERO, BigDecimal.ZERO});
                total[0] = total[0].add(sums[0]);
                total[1] = total[1].add(sums[1]);
                total[2] = total[2].add(sums[2]);
                total[3] = total[3].add(BigDecimal.ONE);
            });
        }

        /** As {@code RatingStore.addToCallStats}: calls, seconds and unpriced calls per duration bucket. */
        void addCallStats(long customerId, LocalDate day, String assistant, int seconds, boolean unpriced) {
            long[] stats = statsByDay.computeIfAbsent(day, d -> new HashMap<>()).computeIfAbsent(
                    List.of(customerId, assistant, DurationBuckets.bucketOf(seconds)), key -> new long[3]);
            stats[0]++;
            stats[1] += seconds;
            stats[2] += unpriced ? 1 : 0;
        }

        /** Call statistics rows of the days before {@code day}, removed from memory (COPY text). */
        String flushStatsBefore(LocalDate day) {
            StringBuilder out = new StringBuilder();
            Iterator<Map.Entry<LocalDate, Map<List<Object>, long[]>>> days = statsByDay.headMap(day).entrySet().iterator();
            while (days.hasNext()) {
                Map.Entry<LocalDate, Map<List<Object>, long[]>> entry = days.next();
                entry.getValue().forEach((key, stats) -> row(out, key.get(0), entry.getKey(), key.get(1), key.get(2),
                        stats[0], stats[1], stats[2]));
                days.remove();
            }
            return out.toString();
        }

        String flushBefore(LocalDate day) {
            StringBuilder out = new StringBuilder();
            Iterator<Map.Entry<LocalDate, Map<List<Object>, BigDecimal[]>>> days = byDay.headMap(day).entrySet().iterator();
            while (days.hasNext()) {
                Map.Entry<LocalDate, Map<List<Object>, BigDecimal[]>> entry = days.next();
                entry.getValue().forEach((key, sums) -> {
                    row(out, key.get(0), entry.getKey(), key.get(1), key.get(2), key.get(3), key.get(4), key.get(5),
                            plain(sums[0]), plain(sums[1]), plain(sums[2]), sums[3].intValue());
                    flushed++;
                });
                days.remove();
            }
            return out.toString();
        }

        String flushAll() {
            return flushBefore(LocalDate.MAX);
        }
    }

    static List<RateEntry> rateEntries() {
        return com.voiceledger.demo.ReferencePrices.all();
    }

}
