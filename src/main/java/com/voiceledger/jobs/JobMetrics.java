package com.voiceledger.jobs;

import com.voiceledger.database.QueryGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Items of background jobs failed and not succeeded since (issue #32), from the table finance sees: unlike the
 * counter {@value JobFailures#METRIC}, which shows a failure once, this stays up until the item succeeds, on
 * every instance.
 */
@Component
class JobMetrics {

    JobMetrics(ObjectProvider<MeterRegistry> registry, JdbcClient jdbc) {
        QueryGauges.register(registry.getIfAvailable(), "voiceledger.job.failures.open",
                "items of background jobs whose last attempt failed", null, Tags.empty(),
                () -> jdbc.sql("select count(*) from job_failure").query(Long.class).single());
    }
}
