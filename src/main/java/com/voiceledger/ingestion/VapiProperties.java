package com.voiceledger.ingestion;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the voice platform proves it sent a webhook, and where its API is for backfills. Any mode
 * that is configured is accepted; with none configured every delivery is refused.
 *
 * @param secret legacy {@code X-Vapi-Secret}, also accepted as {@code Authorization: Bearer}
 * @param hmacSecret shared secret of the HMAC credential
 * @param hmacAlgorithm sha256 (default), sha512 or sha1
 * @param hmacSignatureHeader header carrying the hex signature, optionally prefixed ("sha256=")
 * @param hmacTimestampHeader header carrying the signed timestamp (epoch seconds or milliseconds)
 * @param hmacTolerance oldest accepted timestamp (replay protection)
 * @param customerMetadataKey metadata key whose value is a customer's external id
 * @param apiBaseUrl the platform's API, for backfill
 * @param apiKey private API key for backfill
 */
@ConfigurationProperties("voiceledger.vapi")
public record VapiProperties(@Nullable String secret, @Nullable String hmacSecret,
        @DefaultValue("sha256") String hmacAlgorithm, @DefaultValue("x-signature") String hmacSignatureHeader,
        @DefaultValue("x-timestamp") String hmacTimestampHeader, @DefaultValue("5m") Duration hmacTolerance,
        @DefaultValue("customerId") String customerMetadataKey, @DefaultValue("https://api.vapi.ai") URI apiBaseUrl,
        @Nullable String apiKey) {

    public boolean anyCredentialConfigured() {
        return hasText(secret) || hasText(hmacSecret);
    }

    static boolean hasText(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
