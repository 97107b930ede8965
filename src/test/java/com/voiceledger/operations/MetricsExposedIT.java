package com.voiceledger.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.jobs.JobFailures;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The alert rules and the dashboard cannot silently watch nothing (issue #32): every metric name they read is
 * in what the running application answers on /actuator/prometheus (with the admin token, as Prometheus scrapes
 * it), and the gauges read from the database hold numbers, not the NaN of a query that fails.
 */
@IntegrationTest
class MetricsExposedIT {

    @LocalServerPort
    int port;
    @Autowired
    JobFailures jobFailures;

    @Test
    void everyMetricTheRulesAndTheDashboardReadIsExposedByTheRunningApp() throws Exception {
        Set<String> used = new TreeSet<>();
        List<String> queries = new ArrayList<>(ObservedMetrics.ruleQueries(PrometheusRulesTest.RULES));
        assertThat(queries).as("alert expressions found").hasSizeGreaterThanOrEqualTo(14);
        queries.addAll(ObservedMetrics.dashboardQueries(PrometheusRulesTest.DASHBOARD));
        queries.forEach(query -> used.addAll(ObservedMetrics.metricNames(query)));
        used.removeAll(ObservedMetrics.MADE_BY_PROMETHEUS);
        // the parse finds the names (a parse finding none would make this test pass on anything)
        assertThat(used).contains("voiceledger_ingest_queue_depth", "http_server_requests_seconds_count",
                "voiceledger_job_failures_total", "disk_free_bytes").doesNotContain("rate", "sum", "status", "5m");

        // counters of failures appear with their first failure: one job item fails (and succeeds) here
        String job = "metrics-exposed-it";
        String subject = "item " + UUID.randomUUID();
        jobFailures.failed(job, subject, new IllegalStateException("planted by MetricsExposedIT"));
        jobFailures.succeeded(job, subject);
        // a webhook request, so the HTTP server metric has a /webhooks series
        new Http(port).post("/webhooks/vapi", "application/json", "{}").header("X-Vapi-Secret", TestFixtures.VAPI_SECRET)
                .send();

        // the revenue check is computed on a schedule (2 s after the start in the tests), its gauge NaN until then
        Map<String, List<String>> exposed = scrape();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        while (exposed.getOrDefault("voiceledger_revenue_check_not_ok", List.of()).contains("NaN")
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            exposed = scrape();
        }
        assertThat(exposed.keySet()).as("metrics exposed on /actuator/prometheus").containsAll(used);
        // negative control: a name the application does not have is not found
        assertThat(exposed).doesNotContainKey("voiceledger_no_such_metric");
        for (String name : used) {
            if (name.startsWith("voiceledger_")) {
                assertThat(exposed.get(name)).as(name + " reads a number").noneMatch(value -> value.equals("NaN"));
            }
        }
    }

    @Test
    void theMetricsAnswerOnlyWithTheAdminToken() {
        Http http = new Http(port);
        assertThat(http.get("/actuator/prometheus").send().status()).isEqualTo(401);
        assertThat(http.get("/actuator/prometheus").bearer(TestFixtures.ADMIN_TOKEN).send().status()).isEqualTo(200);
    }

    /** Each metric name exposed, with the values of its series. */
    private Map<String, List<String>> scrape() {
        Http.Response response = new Http(port).get("/actuator/prometheus").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, List<String>> series = new TreeMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            String value = line.substring(line.lastIndexOf(' ') + 1);
            series.computeIfAbsent(line.substring(0, end), name -> new ArrayList<>()).add(value);
        }
        return series;
    }
}
