package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.shared.DayRange;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Many reports arriving at once are written in batches whose rows go in together, rollups summed per key
 * (decision 0048): whatever the batches were, every acknowledged report is stored, rated and counted
 * exactly once, duplicates inside or across batches change nothing, and the rollups equal the charges;
 * and at least one batch really held more than one call.
 */
@IntegrationTest
class BatchedIngestIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    RatingQueries queries;
    @Autowired
    JdbcClient jdbc;

    @Test
    void reportsSentTogetherAreEachStoredRatedAndCountedOnceWithRollupsEqualToTheCharges() throws Exception {
        LocalDate day = LocalDate.of(2027, 3, 9);
        Samples samples = Samples.fresh().onDay(day);
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        String template = samples.text(Samples.EOCR);
        String templateCallId = samples.id(Samples.MAIN_CALL_ID);
        List<String> callIds = new ArrayList<>();
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String callId = UUID.randomUUID().toString();
            callIds.add(callId);
            String report = template.replace(templateCallId, callId);
            deliveries.add(report);
            if (i % 3 == 0) {
                deliveries.add(report); // the platform retrying: sometimes in the same batch, sometimes not
            }
        }
        Collections.shuffle(deliveries);

        Http http = new Http(port);
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(16)) {
            List<Future<Integer>> sent = new ArrayList<>();
            for (String delivery : deliveries) {
                sent.add(senders.submit(() -> http.post("/webhooks/vapi", "application/json", delivery)
                        .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send().status()));
            }
            for (Future<Integer> status : sent) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).containsOnly(200).hasSize(80);
        // rows written in one transaction share its id (xmin): the largest batch wrote more than one call,
        // so the batched path ran, not 60 transactions of one
        List<Integer> batches = jdbc.sql("""
                        select count(*)::integer from usage_call where id in (:ids) group by xmin::text order by 1 desc""")
                .param("ids", callIds).query(Integer.class).list();
        assertThat(batches).as("calls per writing transaction").isNotEmpty();
        assertThat(batches.getFirst()).as("calls per writing transaction: " + batches).isGreaterThan(1);
        assertThat(jdbc.sql("select count(*) from rating_call where call_id in (:ids)").param("ids", callIds)
                .query(Integer.class).single()).isEqualTo(60);
        assertThat(jdbc.sql("""
                        select sum(jsonb_array_length(components))::integer from usage_call where id in (:ids)""").param("ids", callIds)
                .query(Integer.class).single()).isEqualTo(jdbc.sql("""
                        select sum(jsonb_array_length(components))::integer from rating_call
                        where call_id in (:ids)""").param("ids", callIds)
                        .query(Integer.class).single()).isPositive();
        assertThat(jdbc.sql("select count(*) from ingestion_webhook_event where call_id in (:ids)")
                .param("ids", callIds).query(Integer.class).single()).isEqualTo(80);
        assertThat(queries.totals(acme.id(), new DayRange(day, day.plusDays(1)), null).calls()).isEqualTo(60);
        assertThat(queries.rollupMismatches()).isEmpty();
    }
}
