package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.ScratchSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Migration V062 on a populated webhook log (a schema of its own, migrated by Flyway to V061, filled with
 * deliveries over several months, then migrated on): every row is kept, the table is partitioned by month
 * with the old rows in one partition, lookups by id are index lookups; the partition job creates the next
 * months, moves rows the default partition caught, and drops an old month only once all its bodies are purged.
 */
@IntegrationTest
class WebhookLogPartitionsIT {

    static final String SCHEMA = "partition_test";

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    WebhookLogPartitions partitions;

    ScratchSchema schema;

    @BeforeEach
    void migrateACopyToV061() {
        schema = new ScratchSchema(SCHEMA, dataSource).createAt("61");
        partitions = new WebhookLogPartitions(jdbc, transactions,
                new RetentionProperties(Duration.ofDays(30), Duration.ofDays(400), 500, 2), SCHEMA);
    }

    @AfterEach
    void dropTheCopy() {
        schema.drop();
    }

    long insert(String receivedAt, String status, boolean withBody) {
        return jdbc.sql("insert into " + SCHEMA + ".ingestion_webhook_event (source, received_at, headers, body, status, "
                + "processed_at, body_purged_at) values ('vapi', cast(? as timestamptz), '{}', ?, ?, "
                + "cast(? as timestamptz), cast(? as timestamptz)) returning id")
                .params(receivedAt, withBody ? "body of " + receivedAt : null, status, receivedAt,
                        withBody ? null : receivedAt)
                .query(Long.class).single();
    }

    List<Map<String, Object>> rows() {
        return jdbc.sql("select id, received_at, body, status from " + SCHEMA + ".ingestion_webhook_event order by id")
                .query().listOfRows();
    }

    String partitionOf(long id) {
        return jdbc.sql("select tableoid::regclass::text from " + SCHEMA + ".ingestion_webhook_event where id = ?")
                .param(id).query(String.class).single();
    }

    /** The plan of a lookup by id with sequential scans priced out: an index serves it on every partition. */
    String planOfLookupById(long id) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("set local enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = statement.executeQuery("explain select id, status from " + SCHEMA
                    + ".ingestion_webhook_event where id = " + id)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            connection.rollback();
            return plan.toString();
        }
    }

    @Test
    void theMigrationKeepsEveryRowAndLookupsByIdStayIndexLookups() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (String month : List.of("2026-07", "2026-08", "2026-09", "2026-10", "2026-11")) {
            ids.add(insert(month + "-03T10:00:00Z", "PROCESSED", true));
            ids.add(insert(month + "-28T23:59:59Z", "FAILED", true));
        }
        List<Map<String, Object>> before = rows();

        schema.migrateTo("62");

        assertThat(rows()).isEqualTo(before);
        assertThat(jdbc.sql("select relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where n.nspname = ? and relname = 'ingestion_webhook_event'").param(SCHEMA)
                .query(String.class).single()).isEqualTo("p");
        assertThat(partitions.partitions()).extracting(WebhookLogPartitions.Partition::name)
                .contains("ingestion_webhook_event_legacy", "ingestion_webhook_event_default");
        for (long id : ids) {
            assertThat(partitionOf(id)).endsWith("ingestion_webhook_event_legacy");
        }
        String plan = planOfLookupById(ids.get(3));
        assertThat(plan).contains("Index").doesNotContain("Seq Scan");

        long next = insert("2026-11-30T12:00:00Z", "RECEIVED", true);
        assertThat(next).as("ids go on from the same sequence").isGreaterThan(ids.getLast());
        assertThat(jdbc.sql("select count(*) from " + SCHEMA + ".ingestion_webhook_event where id = ?").param(ids.get(5))
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("update " + SCHEMA + ".ingestion_webhook_event set status = 'PROCESSED' where id = ?")
                .param(next).update()).as("the outcome update by id").isEqualTo(1);
    }

    @Test
    void theJobCreatesMonthsAheadMovesWhatTheDefaultCaughtAndDropsOnlyFullyPurgedOldMonths() throws Exception {
        insert("2026-10-05T00:00:00Z", "PROCESSED", false);
        schema.migrateTo("62");
        Instant legacyEnd = partitions.partitions().stream()
                .filter(p -> p.name().equals("ingestion_webhook_event_legacy")).findFirst().orElseThrow().to();
        // far ahead of every partition the migration made: caught by the default partition
        long caught = insert("2031-04-10T08:00:00Z", "PROCESSED", false);
        long failed = insert("2031-05-02T08:00:00Z", "FAILED", true);
        assertThat(partitionOf(caught)).endsWith("ingestion_webhook_event_default");

        WebhookLogPartitions.Outcome outcome = partitions.maintain(Instant.parse("2031-04-20T00:00:00Z"));
        assertThat(outcome.created()).isEqualTo(3);
        assertThat(outcome.dropped()).as("the old rows' partition (its one body purged) and the migration's empty "
                + "next month, both ended more than 400 days before").isEqualTo(2);
        assertThat(partitionOf(caught)).endsWith("ingestion_webhook_event_2031_04");
        assertThat(partitionOf(failed)).endsWith("ingestion_webhook_event_2031_05");
        assertThat(partitions.partitions()).extracting(WebhookLogPartitions.Partition::name)
                .contains("ingestion_webhook_event_2031_04", "ingestion_webhook_event_2031_05",
                        "ingestion_webhook_event_2031_06");
        assertThat(partitions.maintain(Instant.parse("2031-04-21T00:00:00Z")).created()).as("idempotent").isZero();
        assertThat(planOfLookupById(caught)).contains("Index").doesNotContain("Seq Scan");

        // 400 days after June 2031 ends: April's only row has no body any more, May's failed one still has
        WebhookLogPartitions.Outcome later = partitions.maintain(Instant.parse("2032-08-10T00:00:00Z"));
        List<String> names = partitions.partitions().stream().map(WebhookLogPartitions.Partition::name).toList();
        assertThat(names).doesNotContain("ingestion_webhook_event_2031_04", "ingestion_webhook_event_2031_06",
                "ingestion_webhook_event_legacy");
        assertThat(names).contains("ingestion_webhook_event_2031_05", "ingestion_webhook_event_default");
        assertThat(later.dropped()).isEqualTo(2);
        assertThat(legacyEnd).isBefore(Instant.parse("2031-01-01T00:00:00Z"));
        assertThat(jdbc.sql("select count(*) from " + SCHEMA + ".ingestion_webhook_event where id = ?").param(failed)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void upkeepQueuedBehindALongReaderGivesWayAndWebhookInsertsGoOn() throws Exception {
        schema.migrateTo("62");
        ExecutorService upkeep = Executors.newSingleThreadExecutor();
        try (Connection reader = dataSource.getConnection(); Statement read = reader.createStatement()) {
            // a long reader (as pg_dump is) holds ACCESS SHARE on the log for the whole test
            reader.setAutoCommit(false);
            read.executeQuery("select count(*) from " + SCHEMA + ".ingestion_webhook_event").close();

            Future<WebhookLogPartitions.Outcome> outcome = upkeep.submit(
                    () -> partitions.maintain(Instant.parse("2031-04-20T00:00:00Z")));
            awaitALockWaiter();

            // a delivery arriving while the upkeep waits for its lock: answered in a moment, not when the reader ends
            long started = System.nanoTime();
            long id = insertWithin(Duration.ofSeconds(5), "2026-12-01T10:00:00Z");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(outcome.get(30, TimeUnit.SECONDS)).as("gave this round up").isEqualTo(
                    new WebhookLogPartitions.Outcome(0, 0));
            assertThat(partitionOf(id)).isNotNull();
            reader.rollback();
        } finally {
            upkeep.shutdownNow();
        }
        // positive control: once the reader is gone, the same upkeep does its work
        assertThat(partitions.maintain(Instant.parse("2031-04-20T00:00:00Z")).created()).isEqualTo(3);
    }

    @Test
    void deliveriesCommittedWhileTheDefaultPartitionIsEmptiedAreNeitherLostNorLeftBehind() throws Exception {
        schema.migrateTo("62");
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> acknowledged = new CopyOnWriteArrayList<>();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writing = writer.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    // the deliveries of one far month, each committed on its own (as ingest does) into the default
                    acknowledged.add(insert("2040-01-15T00:00:%02dZ".formatted(n++ % 60), "PROCESSED", false));
                }
            });
            while (acknowledged.size() < 50) {
                Thread.sleep(5);
            }
            partitions.maintain(Instant.parse("2040-01-02T00:00:00Z"));
            stop.set(true);
            writing.get(30, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            writer.shutdownNow();
        }
        long present = jdbc.sql("select count(*) from " + SCHEMA + ".ingestion_webhook_event where id = any(?)")
                .param(acknowledged.toArray(Long[]::new)).query(Long.class).single();
        assertThat(present).as("every acknowledged delivery is still in the log").isEqualTo(acknowledged.size());
        long inDefault = jdbc.sql("select count(*) from " + SCHEMA + ".ingestion_webhook_event_default "
                + "where received_at >= '2040-01-01' and received_at < '2040-02-01'").query(Long.class).single();
        assertThat(inDefault).as("nothing of January 2040 left in the default partition after its move").isZero();
    }

    void awaitALockWaiter() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (jdbc.sql("select count(*) from pg_locks where not granted").query(Long.class).single() > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the upkeep never waited for a lock");
    }

    long insertWithin(Duration timeout, String receivedAt) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("set statement_timeout = " + timeout.toMillis());
            try (ResultSet rs = statement.executeQuery("insert into " + SCHEMA + ".ingestion_webhook_event (source, "
                    + "received_at, headers, body, status) values ('vapi', '" + receivedAt + "', '{}', 'b', 'RECEIVED') "
                    + "returning id")) {
                rs.next();
                long id = rs.getLong(1);
                statement.execute("set statement_timeout = 0");
                return id;
            }
        }
    }
}
