package com.voiceledger.latency;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Not part of the suite (its name matches no surefire pattern): how long the dashboard's latency reads take for a
 * customer with 10M calls in a month (issue #30's "dashboard p95 < 150 ms at 10M calls"). Run with
 * {@code -Dtest=LatencyDashboardTiming}. The rollup is filled the way 10M calls would fill it at its widest:
 * 20 assistants × 744 hours × 5 layers × 15 occupied buckets = 1,116,000 rows whose counts add up to 10M per layer.
 */
@IntegrationTest
class LatencyDashboardTiming {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Latencies latencies;

    @Test
    void theDashboardsLatencyReadsAtTenMillionCalls() {
        Customer customer = fixtures.customer("latency-timing-" + UUID.randomUUID().toString().substring(0, 8));
        long started = System.nanoTime();
        // 223,200 rows per layer; 10,000,000 / 223,200 = 44.8: 44 calls each, the first 179,200 rows one more
        jdbc.sql("""
                insert into latency_rollup_hourly (customer_id, hour, assistant_id, layer, provider, model, bucket, calls)
                select :customer, timestamptz '2027-03-01T00:00:00Z' + make_interval(hours => h), 'asst-' || a, l,
                    'p', 'm', (b * 3 + h % 3)::smallint,
                    44 + case when ((h * 20 + a) * 15 + b) < 179200 then 1 else 0 end
                from generate_series(0, 743) h, generate_series(0, 19) a,
                    unnest(array['endpointing', 'transcriber', 'model', 'voice', 'turn']) l, generate_series(0, 14) b
                """).param("customer", customer.id().value()).update();
        jdbc.sql("analyze latency_rollup_hourly").update();
        System.out.printf("filled in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        YearMonth month = YearMonth.of(2027, 3);
        assertThat(latencies.month(customer, month, null).layers().get("turn").calls()).isEqualTo(10_000_000L);
        List<Long> monthMs = new ArrayList<>();
        List<Long> dailyMs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t0 = System.nanoTime();
            latencies.month(customer, month, null);
            long t1 = System.nanoTime();
            latencies.daily(customer, month);
            long t2 = System.nanoTime();
            monthMs.add((t1 - t0) / 1_000_000);
            dailyMs.add((t2 - t1) / 1_000_000);
        }
        Collections.sort(monthMs);
        Collections.sort(dailyMs);
        System.out.printf("GET /api/v1/latency's read: p50 %d ms, p95 %d ms; the dashboard's daily series: p50 %d ms, "
                + "p95 %d ms (30 runs)%n", monthMs.get(14), monthMs.get(28), dailyMs.get(14), dailyMs.get(28));
    }
}
