package com.voiceledger.ingestion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.ingestion.VapiProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VapiAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-11-03T14:10:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] BODY = "{\"message\":{\"type\":\"status-update\"}}".getBytes(StandardCharsets.UTF_8);

    private static VapiProperties properties(String secret, String hmacSecret, String algorithm) {
        return new VapiProperties(secret, hmacSecret, algorithm, "x-signature", "x-timestamp", Duration.ofMinutes(5),
                "customerId", URI.create("http://localhost"), null);
    }

    private static boolean accepted(VapiProperties properties, Map<String, String> headers) {
        return new VapiAuthenticator(properties, CLOCK).refusal(headers::get, BODY).isEmpty();
    }

    @Test
    void theLegacySecretIsAcceptedInItsHeaderAndAsABearerToken() {
        VapiProperties secretOnly = properties("s3cret", null, "sha256");
        assertThat(accepted(secretOnly, Map.of("X-Vapi-Secret", "s3cret"))).isTrue();
        assertThat(accepted(secretOnly, Map.of("Authorization", "Bearer s3cret"))).isTrue();
        assertThat(accepted(secretOnly, Map.of("X-Vapi-Secret", "s3cret-not"))).isFalse();
        assertThat(accepted(secretOnly, Map.of("Authorization", "Basic s3cret"))).isFalse();
        assertThat(accepted(secretOnly, Map.of())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "sha512", "sha1"})
    void anHmacOfTimestampDotBodyIsAcceptedWithEachAlgorithmAndWithOrWithoutPrefix(String algorithm) {
        VapiProperties hmac = properties(null, "hmac-key", algorithm);
        String timestamp = Long.toString(NOW.minusSeconds(30).toEpochMilli());
        String signature = VapiAuthenticator.sign(algorithm, "hmac-key", timestamp, BODY);
        assertThat(accepted(hmac, Map.of("x-signature", signature, "x-timestamp", timestamp))).isTrue();
        assertThat(accepted(hmac, Map.of("x-signature", algorithm + "=" + signature, "x-timestamp", timestamp))).isTrue();
    }

    @Test
    void anHmacOverADifferentBodyOrAnOldTimestampIsRefused() {
        VapiProperties hmac = properties(null, "hmac-key", "sha256");
        String timestamp = Long.toString(NOW.getEpochSecond());
        String otherBody = VapiAuthenticator.sign("sha256", "hmac-key", timestamp, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(accepted(hmac, Map.of("x-signature", otherBody, "x-timestamp", timestamp))).isFalse();

        String old = Long.toString(NOW.minus(Duration.ofMinutes(6)).getEpochSecond());
        String replayed = VapiAuthenticator.sign("sha256", "hmac-key", old, BODY);
        assertThat(new VapiAuthenticator(hmac, CLOCK).refusal(Map.of("x-signature", replayed, "x-timestamp", old)::get,
                BODY)).hasValueSatisfying(reason -> assertThat(reason).contains("replay"));
    }

    @Test
    void withNoCredentialConfiguredEveryDeliveryIsRefusedWithTheReason() {
        assertThat(new VapiAuthenticator(properties(null, null, "sha256"), CLOCK)
                .refusal(Map.of("X-Vapi-Secret", "")::get, BODY))
                .hasValueSatisfying(reason -> assertThat(reason).contains("VOICELEDGER_VAPI_SECRET"));
    }
}
