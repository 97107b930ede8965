package com.voiceledger.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The schema stays ready to be distributed by customer (decision 0047, docs/performance.md "Past one
 * machine"): every table that grows with calls has {@code customer_id} in its primary key and in each of
 * its unique keys, as a table distributed by customer requires, or is listed below with the reason it
 * cannot yet. The list is checked both ways, so it shrinks when a table is fixed and a new large table
 * cannot slip in unkeyed.
 */
@IntegrationTest
class ScaleOutSchemaIT {

    /** Large tables not keyed by customer yet, and why. */
    static final Map<String, String> NOT_KEYED_BY_CUSTOMER = Map.of(
            "usage_call", "customer_id is null until the call is attributed, and attribution may come later",
            "usage_call_status", "no customer column: follows usage_call",
            "usage_call_artifact", "no customer column: follows usage_call",
            "guard_tool_call", "tool-calls deliveries may come before anyone knows the call's customer",
            "usage_twilio_call", "Twilio's callbacks carry no customer; reconciled by call sid",
            "ingestion_webhook_event", "raw deliveries, stored before they are understood: partitioned by time, not customer");

    @Autowired
    JdbcClient jdbc;

    /**
     * Tables with a row per call, delivery, finding or reservation, or per customer-day; a
     * partitioned table counts once, not each of its partitions.
     */
    private Set<String> largeTables() {
        return new TreeSet<>(jdbc.sql("""
                select distinct c.table_name from information_schema.columns c
                join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
                  and not exists (select 1 from pg_class pc join pg_namespace pn on pn.oid = pc.relnamespace
                                  where pn.nspname = c.table_schema and pc.relname = c.table_name
                                    and pc.relispartition)
                  and (c.column_name in ('call_id', 'call_sid', 'day') or c.table_name = 'usage_call')
                """).query(String.class).list());
    }

    private boolean keyedByCustomer(String table) {
        List<Boolean> uniqueKeys = jdbc.sql("""
                select exists (select 1 from pg_attribute a where a.attrelid = i.indrelid
                                 and a.attnum = any(i.indkey) and a.attname = 'customer_id')
                from pg_index i where i.indrelid = cast(:table as regclass) and i.indisunique
                """).param("table", table).query(Boolean.class).list();
        boolean hasPrimaryKey = jdbc.sql("select count(*) from pg_index where indrelid = cast(:table as regclass) "
                + "and indisprimary").param("table", table).query(Long.class).single() == 1;
        return hasPrimaryKey && uniqueKeys.stream().allMatch(Boolean::booleanValue);
    }

    @Test
    void everyLargeTableHasTheCustomerInEachOfItsKeysOrSaysWhyNot() {
        Set<String> large = largeTables();
        assertThat(large).contains("usage_call", "rating_call", "rating_invoice_rollup", "rating_rollup_daily",
                "rating_calls_daily", "guard_finding", "spendcap_reservation", "ingestion_webhook_event");
        for (String table : large) {
            if (!NOT_KEYED_BY_CUSTOMER.containsKey(table)) {
                assertThat(keyedByCustomer(table)).as(table + ": customer_id in its primary key and every unique key")
                        .isTrue();
            }
        }
    }

    @Test
    void theTablesListedAsNotKeyedYetAreLargeAndStillNotKeyed() {
        Set<String> large = largeTables();
        for (String table : NOT_KEYED_BY_CUSTOMER.keySet()) {
            assertThat(large).as("listed but not a large table").contains(table);
            assertThat(keyedByCustomer(table)).as(table + " is keyed by customer now: take it off the list").isFalse();
        }
    }
}
