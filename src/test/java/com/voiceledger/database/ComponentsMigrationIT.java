package com.voiceledger.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.ScratchSchema;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Migration V065 on a populated database (a schema of its own, migrated by Flyway to V064, filled with calls
 * and their component rows, then migrated on): every component comes back from the call row's array through
 * {@code usage_components} and {@code rated_components} exactly as the old tables gave it, in order, and the
 * old tables are gone (decision 0060).
 */
@IntegrationTest
class ComponentsMigrationIT {

    static final String SCHEMA = "components_test";

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;

    ScratchSchema schema;

    @BeforeEach
    void migrateACopyToV064() {
        schema = new ScratchSchema(SCHEMA, dataSource).createAt("64");
    }

    @AfterEach
    void dropTheCopy() {
        schema.drop();
    }

    void sql(String statement) {
        jdbc.sql(statement.replace("s.", SCHEMA + ".")).update();
    }

    List<Map<String, Object>> rows(String query) {
        return jdbc.sql(query.replace("s.", SCHEMA + ".")).query().listOfRows();
    }

    @Test
    void everyComponentComesBackFromTheCallRowAsTheOldTablesGaveIt() {
        for (String call : List.of("call-a", "call-b", "call-c")) {
            sql("""
                    insert into s.usage_call (id, status, status_rank, call_time, first_seen_at, reported)
                    values ('%s', 'ended', 6, '2026-11-03T10:00:00Z', '2026-11-03T10:05:00Z', true)""".formatted(call));
        }
        // call-a: three components, one with more digits than the old columns kept; call-c: none (never answered)
        sql("""
                insert into s.usage_call_component (call_id, seq, customer_id, cost_type, layer, provider, model, unit,
                    quantity, provider_cost) values
                ('call-a', 0, null, 'transport', 'telephony', 'twilio', '-', 'minute', 2.5, 0.0213),
                ('call-a', 1, null, 'model', 'llm', 'openai', 'gpt-4o "mini"', 'prompt_token', 1234.1234567, 0.00012345678912),
                ('call-a', 2, null, 'tts', 'tts', 'eleven\\labs', 'turbo', 'character', 880, 0.1),
                ('call-b', 0, null, 'stt', 'stt', 'deepgram', 'nova-2', 'minute', 1, 0)""");
        sql("""
                insert into s.rating_call (call_id, customer_id, call_time, day, duration_seconds, pricing_model,
                    rate_version, currency, charge, billable_seconds, minimum_top_up, unpriced, rate_source, rated_at,
                    billable_epoch)
                values ('call-a', 7, '2026-11-03T10:00:00Z', '2026-11-03', 150, 'RATE_CARD', 1, 'USD', 0.55, 0, 0,
                    true, 'card v1', '2026-11-03T10:05:00Z', null)""");
        sql("""
                insert into s.rating_component (call_id, seq, customer_id, layer, provider, model, unit, quantity,
                    provider_cost, unit_price, billed_unit_price, charge, rate_source, unpriced) values
                ('call-a', 0, 7, 'telephony', 'twilio', '-', 'minute', 2.5, 0.0213, 0.014, 0.0154, 0.0385,
                    'card v1 + 10 % markup', false),
                ('call-a', 2, 7, 'tts', 'eleven\\labs', 'turbo', 'character', 880, 0.1, null, null, 0,
                    'unpriced: no price', true)""");
        List<Map<String, Object>> usageBefore = rows("""
                select call_id, seq, cost_type, layer, provider, model, unit, quantity, provider_cost
                from s.usage_call_component order by call_id, seq""");
        List<Map<String, Object>> ratingBefore = rows("""
                select call_id, seq, layer, provider, model, unit, quantity, provider_cost, unit_price, billed_unit_price,
                    charge, rate_source, unpriced
                from s.rating_component order by call_id, seq""");

        schema.migrateTo("65");

        assertThat(rows("""
                select c.id as call_id, u.seq, u.cost_type, u.layer, u.provider, u.model, u.unit, u.quantity,
                    u.provider_cost
                from s.usage_call c cross join lateral s.usage_components(c.components) u order by c.id, u.seq"""))
                .isEqualTo(usageBefore).hasSize(4);
        assertThat(rows("""
                select c.call_id, r.seq, r.layer, r.provider, r.model, r.unit, r.quantity, r.provider_cost, r.unit_price,
                    r.billed_unit_price, r.charge, r.rate_source, r.unpriced
                from s.rating_call c cross join lateral s.rated_components(c.components) r order by c.call_id, r.seq"""))
                .isEqualTo(ratingBefore).hasSize(2);
        assertThat(rows("select components::text as components from s.usage_call where id = 'call-c'"))
                .containsExactly(Map.of("components", "[]"));
        assertThat(rows("""
                select table_name from information_schema.tables
                where table_schema = '%s' and table_name in ('usage_call_component', 'rating_component')"""
                .formatted(SCHEMA))).isEmpty();
    }
}
