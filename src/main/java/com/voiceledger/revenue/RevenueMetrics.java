package com.voiceledger.revenue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The revenue check as a gauge (issue #32): how many currencies of this month and the last do not reconcile
 * (recognized and deferred revenue explain every invoiced amount, decision 0039); 0 when all do. Computing a
 * report reads every document of the months, too much for each scrape, so it is computed on a schedule and the
 * gauge shows the last result; NaN until the first, or when the last computation failed.
 */
@Component
class RevenueMetrics {

    static final String NOT_RECONCILING = "voiceledger.revenue.check.not.ok";

    private static final Logger log = LoggerFactory.getLogger(RevenueMetrics.class);

    private final RevenueService revenue;
    private final Clock clock;
    private final AtomicReference<Double> notReconciling = new AtomicReference<>(Double.NaN);

    RevenueMetrics(ObjectProvider<MeterRegistry> registry, RevenueService revenue, Clock clock) {
        this.revenue = revenue;
        this.clock = clock;
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            Gauge.builder(NOT_RECONCILING, notReconciling, AtomicReference::get)
                    .description("currencies of this month and the last whose revenue check differs").register(meters);
        }
    }

    @Scheduled(fixedDelayString = "${voiceledger.revenue.check-poll:10m}",
            initialDelayString = "${voiceledger.revenue.check-poll-start:1m}")
    void check() {
        try {
            YearMonth now = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
            long differing = 0;
            for (YearMonth month : new YearMonth[] {now.minusMonths(1), now}) {
                differing += revenue.report(month, null).currencies().stream().filter(r -> !r.check().ok()).count();
            }
            notReconciling.set((double) differing);
        } catch (RuntimeException e) {
            log.warn("The revenue check for the metrics could not be computed", e);
            notReconciling.set(Double.NaN);
        }
    }
}
