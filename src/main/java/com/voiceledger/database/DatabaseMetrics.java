package com.voiceledger.database;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The database's size on disk (issue #32): the store grows by every call (docs/performance.md), so its growth,
 * beside the free space of the disk the application writes to (Spring Boot's disk_free_bytes), is what says
 * when the disk fills.
 */
@Component
class DatabaseMetrics {

    DatabaseMetrics(ObjectProvider<MeterRegistry> registry, JdbcClient jdbc) {
        QueryGauges.register(registry.getIfAvailable(), "voiceledger.database.size",
                "size on disk of the application's database (tables, indexes, TOAST)", "bytes", Tags.empty(),
                () -> jdbc.sql("select pg_database_size(current_database())").query(Long.class).single());
    }
}
