package com.voiceledger.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL server (zonky's binaries from Maven Central) when no datasource URL is
 * configured, so that {@code ./mvnw spring-boot:run} works on a fresh machine. The server keeps its
 * data in {@code <data dir>/postgres} and is started once per JVM and data directory: Spring test
 * contexts that differ share it. See docs/decisions/0003-embedded-postgresql.md.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
class EmbeddedPostgresConfiguration {

    /**
     * Only when no datasource URL is configured. ({@code @ConditionalOnProperty(havingValue = "")} does
     * not say that: an empty {@code havingValue} means "anything but false", so the embedded server
     * started, and was used, even with {@code SPRING_DATASOURCE_URL} set.)
     */
    static class NoDatasourceUrl implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return EmbeddedDatabase.inUse(context.getEnvironment());
        }
    }

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);
    private static final ConcurrentMap<Path, EmbeddedPostgres> SERVERS = new ConcurrentHashMap<>();

    @Bean
    DataSource dataSource(@Value("${voiceledger.data-dir}") String dataDir,
            @Value("${voiceledger.embedded.clean-data-directory:false}") boolean clean,
            @Value("${spring.datasource.hikari.connection-timeout:5000}") long connectionTimeoutMillis,
            @Value("${voiceledger.embedded.preload-libraries:}") String preload,
            @Value("${voiceledger.embedded.pool-size:16}") int poolSize,
            @Value("${voiceledger.embedded.durable:true}") boolean durable,
            @Value("${voiceledger.embedded.max-connections:100}") int maxConnections) {
        Path directory = Path.of(dataDir, "postgres").toAbsolutePath().normalize();
        EmbeddedPostgres server = SERVERS.computeIfAbsent(directory, path -> start(path, clean, preload, durable, maxConnections));
        HikariDataSource pool = new HikariDataSource();
        // batches of a call's rows travel as one multi-row insert
        pool.setJdbcUrl(server.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(poolSize);
        // a webhook sender waits at most 20 s: without a database, answer 503 long before that
        pool.setConnectionTimeout(connectionTimeoutMillis);
        pool.setPoolName("voiceledger-embedded");
        return pool;
    }

    /** Starts the server; {@code clean} (tests) wipes the directory first, once per JVM. */
    private static EmbeddedPostgres start(Path directory, boolean clean, String preload, boolean durable,
            int maxConnections) {
        try {
            Files.createDirectories(directory);
            // another live application's database is refused, never stopped; once this process owns the directory
            // (held until it ends, kill -9 too), a server still running from it was left by a dead one: stopped
            DataDirectoryOwner.claim(directory); // held for the life of the JVM
            LeftoverPostgres.stop(directory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(clean)
                    .setServerConfig("max_connections", Integer.toString(maxConnections))
                    // zonky's defaults are for tests (no fsync, commits acknowledged before they are on disk);
                    // a 2xx to a webhook promises the delivery is stored: docs/decisions/0023-durable-commits.md
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off");
            if (!preload.isBlank()) {
                // e.g. pg_stat_statements, for profiling (docs/performance.md)
                builder.setServerConfig("shared_preload_libraries", preload);
            }
            EmbeddedPostgres server = builder.start();
            log.info("Embedded PostgreSQL started on port {} with data in {}", server.getPort(), directory);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server)));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + directory, e);
        }
    }

    private static void close(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
