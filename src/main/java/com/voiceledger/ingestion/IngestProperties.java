package com.voiceledger.ingestion;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Limits of the webhook endpoints. */
@ConfigurationProperties("voiceledger.ingest")
public record IngestProperties(@DefaultValue("1048576") int maxBodyBytes) {
}
