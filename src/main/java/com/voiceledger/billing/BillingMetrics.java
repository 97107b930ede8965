package com.voiceledger.billing;

import com.voiceledger.database.QueryGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an operator watches of billing (issue #32, ops/prometheus/voiceledger-alerts.yml), read from the database
 * so every instance shows the same: invoices HELD or FAILED (they wait for finance or for a retry, and a month
 * with one cannot be locked), customers whose issuing step failed and has not succeeded since, and billing runs
 * still RUNNING past their lease (their instance died and no other has resumed them).
 */
@Component
class BillingMetrics {

    static final String INVOICES = "voiceledger.billing.invoices.waiting";
    static final String ISSUING_FAILURES_OPEN = "voiceledger.billing.issuing.failures.open";
    static final String PAST_LEASE = "voiceledger.jobs.past.lease";

    BillingMetrics(ObjectProvider<MeterRegistry> registry, JdbcClient jdbc, Clock clock) {
        MeterRegistry meters = registry.getIfAvailable();
        for (String status : new String[] {Invoice.HELD, Invoice.FAILED}) {
            QueryGauges.register(meters, INVOICES, "invoices held for finance or failed to finalize", null,
                    Tags.of("status", status), () -> jdbc.sql("select count(*) from billing_invoice where status = :s")
                            .param("s", status).query(Long.class).single());
        }
        QueryGauges.register(meters, ISSUING_FAILURES_OPEN, "customers whose issuing step failed and has not succeeded since",
                null, Tags.empty(), () -> jdbc.sql("select count(*) from billing_issuing_failure").query(Long.class).single());
        QueryGauges.register(meters, PAST_LEASE, "background jobs RUNNING whose lease has expired (instance gone)", null,
                Tags.of("work", "billing-run"), () -> jdbc.sql("""
                        select count(*) from billing_run where status = 'RUNNING' and lease_expires_at < :now""")
                        .param("now", Timestamp.from(clock.instant())).query(Long.class).single());
    }
}
