package com.voiceledger.support;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A schema of its own in the test database, migrated by Flyway to a chosen version, for testing a
 * migration on rows written by the schema before it (e.g. V062, V065).
 */
public final class ScratchSchema {

    private final String name;
    private final DataSource dataSource;
    private final JdbcClient jdbc;

    public ScratchSchema(String name, DataSource dataSource) {
        this.name = name;
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Drops the schema if a previous test left it, then migrates a fresh one up to {@code version}. */
    public ScratchSchema createAt(String version) {
        drop();
        migrateTo(version);
        return this;
    }

    public void migrateTo(String version) {
        Flyway.configure().dataSource(dataSource).schemas(name).defaultSchema(name).createSchemas(true)
                .locations("classpath:db/migration").target(version).load().migrate();
    }

    public void drop() {
        jdbc.sql("drop schema if exists " + name + " cascade").update();
    }
}
