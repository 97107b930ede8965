package com.voiceledger.ingestion;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Group commit of end-of-call reports (docs/decisions/0046-group-commit.md): up to {@code maxBatch}
 * deliveries that arrive within {@code maxWait} of the first are written in one transaction by one of
 * {@code writers} threads; each is answered after that commit. {@code enabled=false}: one transaction per
 * delivery, as before. {@code answerWithin}: how long a request waits for its batch before it is answered 503
 * with Retry-After (well inside the platform's 20 s), and how long a shutdown drains (decision 0065).
 */
@ConfigurationProperties("voiceledger.ingest.group-commit")
public record GroupCommitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("32") int maxBatch,
        @DefaultValue("2ms") Duration maxWait, @DefaultValue("2") int writers,
        @DefaultValue("10s") Duration answerWithin) {
}
