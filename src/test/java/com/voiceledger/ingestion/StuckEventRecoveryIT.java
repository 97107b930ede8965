package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A delivery whose raw event was committed but never processed (the process died in between) is
 * processed by the recovery sweep once it is older than any request takes, and only then.
 */
@IntegrationTest
class StuckEventRecoveryIT {

    @Autowired
    WebhookEventLog eventLog;
    @Autowired
    WebhookRecovery recovery;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aReportStoredButNeverProcessedBecomesACallOnceTheSweepFindsIt() {
        Samples samples = Samples.fresh();
        fixtures.customer(samples.id(Samples.ACME));
        String callId = samples.id(Samples.MAIN_CALL_ID);
        // as if the process died right after the raw event committed
        long fresh = eventLog.store("vapi", "application/json", Map.of(), samples.text(Samples.EOCR));
        recovery.recoverStuckEvents();
        assertThat(status(fresh)).as("a delivery still in flight is left alone").isEqualTo("RECEIVED");
        assertThat(calls(callId)).isZero();

        jdbc.sql("update ingestion_webhook_event set received_at = received_at - interval '1 minute' where id = ?")
                .param(fresh).update();
        recovery.recoverStuckEvents();
        assertThat(status(fresh)).isEqualTo("PROCESSED");
        assertThat(calls(callId)).isEqualTo(1);
        assertThat(jdbc.sql("select jsonb_array_length(components) from usage_call where id = ?").param(callId)
                .query(Integer.class).single()).isEqualTo(9);

        recovery.recoverStuckEvents();
        assertThat(calls(callId)).isEqualTo(1);
    }

    private String status(long eventId) {
        return jdbc.sql("select status from ingestion_webhook_event where id = ?").param(eventId).query(String.class)
                .single();
    }

    private long calls(String callId) {
        return jdbc.sql("select count(*) from usage_call where id = ?").param(callId).query(Long.class).single();
    }
}
