package com.voiceledger.ingestion;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the monthly partitions of the webhook log (migration V062, docs/decisions/0055): creates the current
 * month and the next {@code voiceledger.retention.months-ahead} before rows arrive for them (moving any that
 * the default partition caught meanwhile), and drops a month that ended longer ago than
 * {@code voiceledger.retention.webhook-log} once none of its rows holds a body any more (FAILED and
 * RECEIVED deliveries keep theirs, and so keep their month). Instances that run it at once: the one holding
 * a PostgreSQL advisory transaction lock does it, the others skip this round (DDL is not something two
 * should race on; the lock is released with the transaction, also when the instance dies).
 */
@Component
class WebhookLogPartitions {

    private static final Logger log = LoggerFactory.getLogger(WebhookLogPartitions.class);
    static final String PARENT = "ingestion_webhook_event";
    /** Rounds within one run that wait for a busy table before leaving it to the next run. */
    static final int LOCK_ATTEMPTS = 3;
    /** How long one DDL statement waits for its lock: longer would hold up webhook inserts queued behind it. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
    static final String DEFAULT = PARENT + "_default";
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy_MM");

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RetentionProperties properties;
    private final @Nullable String schema;

    @Autowired
    WebhookLogPartitions(JdbcClient jdbc, PlatformTransactionManager transactionManager, RetentionProperties properties) {
        this(jdbc, transactionManager, properties, null);
    }

    /** On the webhook log of another schema (a test of the migration on a populated copy). */
    WebhookLogPartitions(JdbcClient jdbc, PlatformTransactionManager transactionManager, RetentionProperties properties,
            @Nullable String schema) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
        this.schema = schema;
    }

    /** One partition and its bounds ({@code from} null: from the beginning; both null: the default). */
    record Partition(String name, @Nullable Instant from, @Nullable Instant to) {

        boolean isDefault() {
            return from == null && to == null;
        }

        boolean overlaps(Instant start, Instant end) {
            return !isDefault() && (from == null || from.isBefore(end)) && to != null && to.isAfter(start);
        }
    }

    record Outcome(int created, int dropped) {
    }

    Outcome maintain(Instant now) {
        for (int attempt = 1; ; attempt++) {
            try {
                return maintainOnce(now);
            } catch (DataAccessException e) {
                // a long reader (pg_dump, a report) holds the log: webhook inserts must not queue behind our DDL
                if (!lockTimedOut(e)) {
                    throw e;
                }
                DataAccessException busy = e;
                if (attempt >= LOCK_ATTEMPTS) {
                    log.warn("Webhook log partitions not kept this round: the table stayed busy ({})", busy.getMessage());
                    return new Outcome(0, 0);
                }
                sleep(Duration.ofMillis(200L * attempt));
            }
        }
    }

    private Outcome maintainOnce(Instant now) {
        Outcome outcome = transactions.execute(status -> {
            // every DDL below waits at most this long for its lock: ACCESS EXCLUSIVE queued behind a reader would
            // otherwise stop every webhook insert for as long as that reader runs
            jdbc.sql("set local lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'").update();
            boolean mine = jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended('voiceledger.webhook-log-partitions', 0))")
                    .query(Boolean.class).single();
            if (!mine) {
                return new Outcome(0, 0);
            }
            int created = 0;
            YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
            for (int ahead = 0; ahead <= properties.monthsAhead(); ahead++) {
                created += createIfMissing(current.plusMonths(ahead)) ? 1 : 0;
            }
            return new Outcome(created, dropOld(now.minus(properties.webhookLog())));
        });
        return outcome == null ? new Outcome(0, 0) : outcome;
    }

    List<Partition> partitions() {
        return jdbc.sql("""
                select c.relname, b.expr,
                       cast(substring(b.expr from 'FROM \\(''([^'']+)''\\)') as timestamptz),
                       cast(substring(b.expr from 'TO \\(''([^'']+)''\\)') as timestamptz)
                from pg_inherits i
                join pg_class c on c.oid = i.inhrelid
                join pg_class p on p.oid = i.inhparent
                join pg_namespace n on n.oid = p.relnamespace
                cross join lateral (select pg_get_expr(c.relpartbound, c.oid) as expr) b
                where p.relname = :parent and n.nspname = coalesce(cast(:schema as text), current_schema())
                order by 4 nulls last
                """)
                .param("parent", PARENT)
                .param("schema", schema)
                .query((rs, row) -> new Partition(rs.getString(1),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()))
                .list();
    }

    private boolean createIfMissing(YearMonth month) {
        Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        if (partitions().stream().anyMatch(partition -> partition.overlaps(start, end))) {
            return false;
        }
        String partition = qualified(PARENT + "_" + NAME.format(month));
        String range = "for values from ('" + start + "') to ('" + end + "')";
        String inRange = " where received_at >= '" + start + "' and received_at < '" + end + "'";
        boolean caught = jdbc.sql("select exists (select 1 from " + qualified(DEFAULT) + inRange + ")")
                .query(Boolean.class).single();
        if (!caught) {
            jdbc.sql("create table " + partition + " partition of " + qualified(PARENT) + " " + range).update();
            return true;
        }
        // rows that arrived while no month covered them: moved out of the default partition, then attached. Inserts
        // wait for the move (rows land in the default rarely, and few): the log is locked against them first, as
        // they lock it first (the parent, then a partition), so the two never deadlock; rows move in one
        // statement, so a delivery committed meanwhile is neither deleted uncopied nor left behind
        jdbc.sql("lock table " + qualified(PARENT) + " in share row exclusive mode").update();
        jdbc.sql("create table " + partition + " (like " + qualified(PARENT)
                + " including defaults including constraints including storage including compression)").update();
        jdbc.sql("with moved as (delete from " + qualified(DEFAULT) + inRange + " returning *) insert into "
                + partition + " select * from moved").update();
        jdbc.sql("alter table " + qualified(PARENT) + " attach partition " + partition + " " + range).update();
        return true;
    }

    private int dropOld(Instant endedBefore) {
        List<String> dropped = new ArrayList<>();
        for (Partition partition : partitions()) {
            if (partition.isDefault() || partition.to() == null || partition.to().isAfter(endedBefore)) {
                continue;
            }
            boolean holdsBodies = jdbc.sql("select exists (select 1 from " + qualified(partition.name())
                    + " where body is not null)").query(Boolean.class).single();
            if (!holdsBodies) {
                jdbc.sql("drop table " + qualified(partition.name())).update();
                dropped.add(partition.name());
            }
        }
        return dropped.size();
    }

    /** PostgreSQL's lock_not_available (55P03): the statement gave up waiting for its lock after lock_timeout. */
    private static boolean lockTimedOut(DataAccessException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String qualified(String table) {
        if (!table.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a webhook log table: " + table);
        }
        return schema == null ? table : "\"" + schema.replace("\"", "") + "\"." + table;
    }
}
