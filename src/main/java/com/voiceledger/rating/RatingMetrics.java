package com.voiceledger.rating;

import com.voiceledger.database.QueryGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Re-rating jobs RUNNING past their lease (issue #32): their instance died and no instance has claimed them again,
 * which {@link RatingJobs} does on its next poll, so one that stays is a job stuck for good. Same gauge name as
 * billing's runs, tagged by work (a tag "job" would clash with Prometheus' own).
 */
@Component
class RatingMetrics {

    RatingMetrics(ObjectProvider<MeterRegistry> registry, JdbcClient jdbc, Clock clock) {
        // reads the partial index rating_job_running
        QueryGauges.register(registry.getIfAvailable(), "voiceledger.jobs.past.lease",
                "background jobs RUNNING whose lease has expired (instance gone)", null, Tags.of("work", "re-rating"),
                () -> jdbc.sql("select count(*) from rating_job where status = 'RUNNING' and lease_expires_at < :now")
                        .param("now", Timestamp.from(clock.instant())).query(Long.class).single());
    }
}
