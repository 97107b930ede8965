package com.voiceledger.bench;

import com.voiceledger.billing.BillingRun;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.billing.BurnDowns;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.shared.DayRange;
import com.voiceledger.security.ApiKeyService;
import com.voiceledger.spendcap.SpendCaps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Read-side benchmarks on a generated data set ({@link DataGenerator}):
 * <ul>
 * <li>{@code -Dbench.mode=dashboard}: the server time of what the customer dashboard
 * ({@code portal/ui/DashboardView}) asks of the services, for random customers (this month, the view's
 * default, and a closed month), per query and per page; then the customer API's usage summary over HTTP.</li>
 * <li>{@code -Dbench.mode=close}: a month-end billing run ({@link BillingRuns}) for every customer,
 * timed; {@code -Dbench.reset=true} (default) first undoes earlier closes so it can be repeated.</li>
 * </ul>
 * {@code -Dbench.calls} picks the data set ({@code /work/bench-data/calls-N}) or {@code -Dbench.dataDir}.
 */
final class ReadBenchmark {

    private ReadBenchmark() {
    }

    static void dashboard() throws Exception {
        long calls = Long.getLong("bench.calls", 1_000_000);
        int pages = Integer.getInteger("bench.pages", 300);
        Path dataDir = BenchApp.dataDir(calls);
        ConfigurableApplicationContext app = BenchApp.start(dataDir, false, 0);
        try {
            RatingQueries rating = app.getBean(RatingQueries.class);
            SpendCaps spendCaps = app.getBean(SpendCaps.class);
            BurnDowns burnDowns = app.getBean(BurnDowns.class);
            Clock clock = app.getBean(Clock.class);
            List<Customer> customers = app.getBean(CustomerService.class).list();
            String size = sizes(app);
            System.out.printf(Locale.ROOT, "data set %s: %s, %d customers%n", dataDir, size, customers.size());
            Random random = new Random(11);
            for (String which : List.of("current month", "previous month")) {
                Map<String, List<Long>> perQuery = new LinkedHashMap<>();
                List<Long> perPage = new ArrayList<>();
                for (int round = -pages / 3; round < pages; round++) { // the first third warms up, not counted
                    Customer customer = customers.get(random.nextInt(customers.size()));
                    YearMonth current = YearMonth.now(clock.withZone(customer.billingTimeZone()));
                    YearMonth shownMonth = which.startsWith("current") ? current : current.minusMonths(1);
                    DayRange shown = DayRange.of(shownMonth);
                    DayRange earlier = DayRange.of(shownMonth.minusMonths(1));
                    boolean counted = round >= 0;
                    long pageStart = System.nanoTime();
                    // the calls DashboardView.beforeEnter and show make, in their order (no assistant filter)
                    time(perQuery, counted, "chargeBy assistant (filter items)", () -> rating.chargeBy(customer.id(), shown, true, null));
                    time(perQuery, counted, "totals (shown)", () -> rating.totals(customer.id(), shown, null));
                    time(perQuery, counted, "totals (before)", () -> rating.totals(customer.id(), earlier, null));
                    if (shownMonth.equals(current)) {
                        time(perQuery, counted, "spendCaps.status", () -> spendCaps.status(customer));
                        time(perQuery, counted, "burnDowns.commitment", () -> burnDowns.commitment(customer));
                    }
                    time(perQuery, counted, "dailyByLayer", () -> rating.dailyByLayer(customer.id(), shown, null));
                    time(perQuery, counted, "chargeBy assistant", () -> rating.chargeBy(customer.id(), shown, true, null));
                    time(perQuery, counted, "chargeBy model", () -> rating.chargeBy(customer.id(), shown, false, null));
                    time(perQuery, counted, "durationDistribution", () -> rating.durationDistribution(customer.id(), shown, null));
                    if (counted) {
                        perPage.add(System.nanoTime() - pageStart);
                    }
                }
                System.out.printf(Locale.ROOT, "%n== dashboard server time, %s, %d random customers, load %s ==%n", which,
                        perPage.size(), BenchApp.load());
                perQuery.forEach((name, values) -> print(name, values));
                print("whole page (queries only)", perPage);
            }
            financeOverview(app);
            http(app, customers, random);
        } finally {
            app.close();
        }
    }

    /**
     * Finance's landing page: every customer's standing (spend against cap, commitment burn-down) and
     * the queues. It asks per customer, so it grows with the number of customers, not with calls.
     */
    private static void financeOverview(ConfigurableApplicationContext app) {
        com.voiceledger.admin.FinanceOverview overview = app.getBean(com.voiceledger.admin.FinanceOverview.class);
        Map<String, List<Long>> perQuery = new LinkedHashMap<>();
        for (int round = -2; round < 5; round++) { // two warm-up rounds, not counted
            time(perQuery, round >= 0, "standings (all customers)", overview::standings);
            time(perQuery, round >= 0, "queues", overview::queues);
        }
        System.out.printf(Locale.ROOT, "%n== finance overview server time, 5 rounds, load %s ==%n", BenchApp.load());
        perQuery.forEach((name, values) -> print(name, values));
    }

    /** The customer API's usage summary over HTTP (the API behind the dashboard's cards), one API key per customer. */
    private static void http(ConfigurableApplicationContext app, List<Customer> customers, Random random) throws Exception {
        int requests = Integer.getInteger("bench.requests", 300);
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
        ApiKeyService keys = app.getBean(ApiKeyService.class);
        List<Customer> sample = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Customer customer = customers.get(random.nextInt(customers.size()));
            sample.add(customer);
            secrets.add(keys.create(customer.id(), "bench").secret());
        }
        HttpClient http = HttpClient.newHttpClient();
        List<Long> latencies = new ArrayList<>();
        for (int i = -requests / 3; i < requests; i++) {
            int pick = random.nextInt(sample.size());
            YearMonth month = YearMonth.now(ZoneOffset.UTC);
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/usage/summary?month=" + month)).header("Authorization", "Bearer " + secrets.get(pick))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("summary answered " + response.statusCode() + ": " + response.body());
            }
            if (i >= 0) {
                latencies.add(System.nanoTime() - start);
            }
        }
        System.out.printf(Locale.ROOT, "%n== GET /api/v1/usage/summary over HTTP (loopback), %d requests, load %s ==%n",
                latencies.size(), BenchApp.load());
        print("usage summary", latencies);
    }

    static void close() throws Exception {
        long calls = Long.getLong("bench.calls", 1_000_000);
        Path dataDir = BenchApp.dataDir(calls);
        ConfigurableApplicationContext app = BenchApp.start(dataDir, false, 0);
        try {
            JdbcClient jdbc = JdbcClient.create(app.getBean(DataSource.class));
            YearMonth closing = YearMonth.parse(System.getProperty("bench.month",
                    YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString()));
            System.out.println("invoices of " + closing + " already there: " + invoiceSummary(jdbc, closing));
            if (Boolean.getBoolean("bench.checkCoverage")) {
                System.out.println("coverage of the calls (decision 0050): " + coverage(jdbc));
            }
            if (Boolean.parseBoolean(System.getProperty("bench.reset", "true"))) {
                long started = System.nanoTime();
                reset(jdbc);
                System.out.printf(Locale.ROOT, "reset of earlier closes: %.1f s%n", (System.nanoTime() - started) / 1e9);
            }
            YearMonth month = YearMonth.parse(System.getProperty("bench.month",
                    YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString()));
            long monthCalls = jdbc.sql("select count(*) from rating_call where day >= :from and day < :to")
                    .param("from", java.sql.Date.valueOf(month.atDay(1)))
                    .param("to", java.sql.Date.valueOf(month.plusMonths(1).atDay(1))).query(Long.class).single();
            BillingRuns runs = app.getBean(BillingRuns.class);
            System.out.printf(Locale.ROOT, "closing %s: %s, %,d calls in the month, load %s%n", month, sizes(app),
                    monthCalls, BenchApp.load());
            long started = System.nanoTime();
            long id = runs.start(month, null, "bench");
            runs.runQueued();
            double seconds = (System.nanoTime() - started) / 1e9;
            BillingRun run = runs.get(id);
            System.out.printf(Locale.ROOT, "%n== month-end close of %s: %d customers (%d invoiced, %d failed) in %.1f s "
                    + "= %.0f ms per customer, load %s ==%n", month, run.total(), run.done(), run.failed(), seconds,
                    seconds * 1000 / Math.max(1, run.total()), BenchApp.load());
            System.out.println("invoices of " + month + " now: " + invoiceSummary(jdbc, month));
        } finally {
            app.close();
        }
    }

    /**
     * Undoes closes so that a close can be timed again on the same data: invoices and ledgers go, and so
     * does what the closes covered (decision 0050); every priced call is billable from before any close
     * (epoch 0), as on a freshly generated set. Calls marked by closes made before V063 are unmarked.
     */
    private static void reset(JdbcClient jdbc) {
        jdbc.sql("update rating_call set invoice_id = null where invoice_id is not null").update();
        jdbc.sql("delete from rating_close").update();
        jdbc.sql("update rating_call set billable_epoch = 0 where billable_epoch <> 0").update();
        jdbc.sql("""
                with moved as (delete from rating_invoice_rollup where billable_epoch <> 0 returning *)
                insert into rating_invoice_rollup (customer_id, day, billable_epoch, pricing_model, layer, provider,
                    model, unit, billed_unit_price, rate_source, contract_id, quantity, charge, top_up, calls,
                    topped_up_calls, first_call, last_call)
                select customer_id, day, 0, pricing_model, layer, provider, model, unit, billed_unit_price, rate_source,
                    contract_id, sum(quantity), sum(charge), sum(top_up), sum(calls), sum(topped_up_calls),
                    min(first_call), max(last_call)
                from moved
                group by customer_id, day, pricing_model, layer, provider, model, unit, billed_unit_price, rate_source,
                    contract_id
                on conflict (customer_id, day, billable_epoch, pricing_model, layer, provider, model, unit,
                    billed_unit_price, rate_source, contract_id) do update set
                    quantity = rating_invoice_rollup.quantity + excluded.quantity,
                    charge = rating_invoice_rollup.charge + excluded.charge,
                    top_up = rating_invoice_rollup.top_up + excluded.top_up,
                    calls = rating_invoice_rollup.calls + excluded.calls,
                    topped_up_calls = rating_invoice_rollup.topped_up_calls + excluded.topped_up_calls,
                    first_call = least(rating_invoice_rollup.first_call, excluded.first_call),
                    last_call = greatest(rating_invoice_rollup.last_call, excluded.last_call)
                """).update();
        for (String table : List.of("stripe_invoice_push", "billing_invoice_line", "billing_credit_entry",
                "billing_commitment_entry", "billing_run_result", "billing_run")) {
            jdbc.sql("delete from " + table).update();
        }
        jdbc.sql("delete from billing_invoice").update();
    }

    /** The month's finalized invoices in a few figures, to compare two closes of the same data to the cent. */
    private static String invoiceSummary(JdbcClient jdbc, YearMonth month) {
        return jdbc.sql("""
                select count(*) || ' invoices, total ' || coalesce(sum(i.total), 0) || ', subtotal '
                    || coalesce(sum(i.subtotal), 0) || ', lines ' || coalesce(sum(l.lines), 0) || ', line amounts '
                    || coalesce(sum(l.amount), 0) || ', late usage ' || coalesce(sum(l.late), 0)
                    || ', md5 of (customer, kind, description, amount) ' || coalesce(md5(string_agg(l.digest, ',' order by i.customer_id)), '-')
                from billing_invoice i
                left join lateral (
                    select count(*) as lines, sum(amount) as amount,
                        sum(amount) filter (where kind = 'late_usage') as late,
                        i.customer_id || ':' || string_agg(kind || ' ' || description || ' ' || amount, ';' order by line_no)
                            as digest
                    from billing_invoice_line where invoice_id = i.id) l on true
                where i.month = :month and i.kind = 'INVOICE' and i.status = 'FINALIZED'
                """).param("month", java.sql.Date.valueOf(month.atDay(1))).query(String.class).single();
    }

    /**
     * Calls marked invoiced (before V063) against the calls the recorded closes cover: after the migration
     * every marked call must be covered, and no unmarked call (those of the closes made since aside).
     */
    private static String coverage(JdbcClient jdbc) {
        return jdbc.sql("""
                select count(*) filter (where invoice_id is not null) || ' calls marked invoiced, '
                    || count(*) filter (where invoice_id is not null and rating_covered(customer_id, day, billable_epoch))
                    || ' of them covered by a close; ' || count(*) filter (where invoice_id is null
                        and rating_covered(customer_id, day, billable_epoch)) || ' unmarked calls covered; '
                    || count(*) filter (where billable_epoch is null) || ' not billable yet (unpriced)'
                from rating_call""").query(String.class).single();
    }

    private static String sizes(ConfigurableApplicationContext app) {
        JdbcClient jdbc = JdbcClient.create(app.getBean(DataSource.class));
        return jdbc.sql("""
                select to_char((select count(*) from rating_call), 'FM999,999,999') || ' rated calls, '
                    || to_char((select count(*) from rating_rollup_daily), 'FM999,999,999') || ' rollup rows, database '
                    || pg_size_pretty(pg_database_size(current_database()))""").query(String.class).single();
    }

    private static void time(Map<String, List<Long>> perQuery, boolean counted, String name, Supplier<?> call) {
        long start = System.nanoTime();
        call.get();
        if (counted) {
            perQuery.computeIfAbsent(name, key -> new ArrayList<>()).add(System.nanoTime() - start);
        }
    }

    private static void print(String name, List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-36s p50 %7.2f  p95 %7.2f  p99 %7.2f  max %7.2f ms%n", name,
                BenchApp.pct(sorted, 50), BenchApp.pct(sorted, 95), BenchApp.pct(sorted, 99), BenchApp.pct(sorted, 100));
    }
}
