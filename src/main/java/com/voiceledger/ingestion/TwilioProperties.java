package com.voiceledger.ingestion;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Twilio's auth token, with which its status callbacks are signed. */
@ConfigurationProperties("voiceledger.twilio")
public record TwilioProperties(@Nullable String authToken) {
}
