package com.voiceledger.ingestion;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long raw webhook bodies and the webhook log are kept, and how the retention job works through them
 * (docs/decisions/0053, 0055).
 *
 * @param rawBodies  a processed delivery's body is purged this long after its processing (FAILED and
 *                   RECEIVED ones are kept until a retry succeeds)
 * @param webhookLog a month of the webhook log (its partition) is dropped once it ended this long ago and
 *                   holds no body any more
 * @param batch      rows purged per transaction
 * @param monthsAhead months of the webhook log created ahead of the current one
 */
@ConfigurationProperties("voiceledger.retention")
public record RetentionProperties(@DefaultValue("30d") Duration rawBodies, @DefaultValue("400d") Duration webhookLog,
        @DefaultValue("500") int batch, @DefaultValue("2") int monthsAhead) {

    public RetentionProperties {
        if (rawBodies.isNegative() || webhookLog.isNegative() || batch < 1 || monthsAhead < 1) {
            throw new IllegalArgumentException("voiceledger.retention: durations >= 0, batch >= 1, months-ahead >= 1");
        }
    }
}
