package com.voiceledger.database;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges whose value a small query reads on each scrape (issue #32): what an operator watches that lives in the
 * database (deliveries waiting, invoices held, jobs past their lease) is read where it is, not kept in memory
 * where another instance's work would not show. A query that fails (the database is away) reads as NaN, never
 * as 0: "nothing waiting" must not be what an unreachable database looks like; the rules alert on the NaN's
 * cause through the ingest errors and {@code up}.
 */
public final class QueryGauges {

    private static final Logger log = LoggerFactory.getLogger(QueryGauges.class);

    private QueryGauges() {
    }

    /** Registers {@code name} (with {@code tags}) reading {@code query} on each scrape, when there is a registry. */
    public static void register(@Nullable MeterRegistry meters, String name, String description, @Nullable String baseUnit,
            Tags tags, Supplier<? extends @Nullable Number> query) {
        if (meters == null) {
            return;
        }
        Gauge.builder(name, () -> read(name, query)).description(description).baseUnit(baseUnit).tags(tags)
                .strongReference(true).register(meters);
    }

    private static double read(String name, Supplier<? extends @Nullable Number> query) {
        try {
            Number value = query.get();
            return value == null ? 0 : value.doubleValue();
        } catch (RuntimeException e) {
            log.debug("Gauge {} could not be read", name, e);
            return Double.NaN;
        }
    }
}
